// The benchmarks' demo platform: dist/demo-platform.mjs in its own process (as a real cluster is), its
// ready line parsed. `args` are the platform's own (--pods N --churn on|off ...); `nodeArgs` node's (--cpu-prof ...).
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export async function startDemoChild(root, args, nodeArgs = []) {
  const child = spawn(process.execPath, [...nodeArgs, join(root, 'dist', 'demo-platform.mjs'), ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      const i = buf.indexOf('\n');
      if (i >= 0) resolve(buf.slice(0, i));
    });
    child.on('exit', (code) => reject(new Error(`demo platform exited with ${code}`)));
  });
  return { ...JSON.parse(line), pids: [child.pid], stop: () => child.kill('SIGTERM') };
}
