export * from './objective-backup';
