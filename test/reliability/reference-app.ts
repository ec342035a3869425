// The reference app's builder (one place to point the reliability tests at it).
export { buildApp } from '../../examples/cdk/app';
