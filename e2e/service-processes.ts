import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..');

export interface ServiceProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly url: string;
  output(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts one service as its own process, the way production runs it, and waits until it is ready. */
export function startServiceProcess(name: string, env: Record<string, string>, timeoutMs = 60_000): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['-r', join(root, 'tools/register.js'), join(root, `apps/${name}/src/main.ts`)], {
    cwd: root,
    env: { ...process.env, NODE_OPTIONS: '', HTTP_PORT: '0', HTTP_HOST: '127.0.0.1', LOG_LEVEL: 'log', NO_COLOR: '1', ...env },
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} not ready after ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (data: Buffer) => {
      output += data.toString();
      const ready = /ready on (http:\/\/[\d.]+:\d+)/.exec(output);
      if (ready) {
        clearTimeout(timer);
        resolve({
          name,
          child,
          url: ready[1]!,
          output: () => output,
          stop: async () => {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            return exited;
          },
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before it was ready:\n${output}`));
    });
  });
}
