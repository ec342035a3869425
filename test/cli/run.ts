import { Writable } from 'stream';
import { main } from '../../lib/cli/main';

/** Collects what the CLI writes to one stream. */
class Capture extends Writable {
  public text = '';
  _write(chunk: any, _enc: BufferEncoding, done: (error?: Error | null) => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** Runs the CLI's `main` in process with `argv`: its exit code, stdout and stderr. */
export async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(argv, { stdout, stderr });
  return { code, out: stdout.text, err: stderr.text };
}
