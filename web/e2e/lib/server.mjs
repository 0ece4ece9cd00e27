// Starts the real `hcms` binary for the browser tests: a fresh temporary data
// directory (SQLite), a free port (server.port = 0 + port file), the admin UI
// this build produced, and the people the scenarios sign in as, created with
// the CLI the way an operator would.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export class HcmsServer {
  constructor({ bin, adminDir, env = {} }) {
    if (!bin || !existsSync(bin)) throw new Error(`hcms binary not found: ${bin} (set HCMS_BIN)`);
    this.bin = bin;
    this.dir = mkdtempSync(join(tmpdir(), 'hcms-e2e-'));
    this.portFile = join(this.dir, 'port');
    this.env = {
      PATH: process.env.PATH,
      HOME: this.dir,
      TZ: 'America/Sao_Paulo',
      HCMS_DATA_DIR: join(this.dir, 'data'),
      HCMS_SERVER_PORT: '0',
      HCMS_SERVER_PORT_FILE: this.portFile,
      HCMS_LOG_LEVEL: 'warn',
      HCMS_LOG_ACCESS_LOG: 'false',
      // Fast password hashing: the tests sign in many times.
      HCMS_ACCOUNTS_PASSWORD_OPS_LIMIT: '1',
      HCMS_ACCOUNTS_PASSWORD_MEM_MB: '8',
      ...(adminDir ? { HCMS_WEB_ADMIN_DIR: adminDir } : {}),
      ...env,
    };
    this.proc = null;
    this.port = 0;
    this.stderr = '';
  }

  // Runs `hcms <args>` against the same data directory; throws on failure.
  cli(args, input) {
    const r = spawnSync(this.bin, args, { env: this.env, input, encoding: 'utf8' });
    if (r.status !== 0) {
      throw new Error(`hcms ${args.join(' ')} exited ${r.status}: ${r.stderr || r.stdout}`);
    }
    return r.stdout;
  }

  async start() {
    rmSync(this.portFile, { force: true });
    this.proc = spawn(this.bin, ['serve'], { env: this.env, stdio: ['ignore', 'ignore', 'pipe'] });
    this.proc.stderr.on('data', (d) => {
      this.stderr += d.toString();
    });
    const exited = new Promise((resolve) => this.proc.once('exit', resolve));
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (this.proc.exitCode !== null) break;
      if (existsSync(this.portFile)) {
        this.port = Number(readFileSync(this.portFile, 'utf8').trim());
        if (this.port > 0) {
          try {
            const r = await fetch(`${this.url}/ready`);
            if (r.ok) return this;
          } catch {
            // not listening yet
          }
        }
      }
      await Promise.race([sleep(50), exited]);
    }
    throw new Error(`hcms did not become ready:\n${this.stderr}`);
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  async stop() {
    if (this.proc && this.proc.exitCode === null) {
      const exited = new Promise((resolve) => this.proc.once('exit', resolve));
      this.proc.kill('SIGTERM');
      // An unref'd timer: it must not keep the test process alive afterwards.
      await Promise.race([exited, sleep(15_000, undefined, { ref: false })]);
      if (this.proc.exitCode === null) this.proc.kill('SIGKILL');
    }
  }

  cleanup() {
    rmSync(this.dir, { recursive: true, force: true });
  }

  // Writes the server's log next to the screenshots (useful when a test fails).
  saveLog(path) {
    writeFileSync(path, this.stderr);
  }
}
