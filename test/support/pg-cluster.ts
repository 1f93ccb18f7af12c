/** A throwaway PostgreSQL cluster from the local server binaries: initdb + pg_ctl on a private port and socket dir. */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export const CLUSTER_PASSWORD = 'lockscope-test';

export interface PgCluster {
  /** postgres://postgres:<password>@127.0.0.1:<port>/postgres — TCP, password (scram) authentication. */
  url: string;
  /** Same database reached as `database` instead of postgres. */
  urlFor(database: string, password?: string): string;
  port: number;
  socketDir: string;
  binDir: string;
  /** Major version of the binaries, e.g. 15. */
  major: number;
  /** Runs SQL through psql over the socket as the superuser (trust); returns stdout. */
  psql(sql: string, database?: string): string;
  /** Fast restart (pg_ctl restart -m fast); sessions are cut. */
  restart(): void;
  /** The same restart as a shell command, for a test running in another process (the VS Code extension host). */
  restartCommand: string;
  /** Kills the server as a crash would (pg_ctl stop -m immediate); start() brings it back. */
  kill(): void;
  /** Starts the cluster again after kill(). */
  start(): void;
  /** SIGSTOP to this cluster's postmaster and its children only: the server keeps its sockets but stops answering. */
  freeze(): void;
  /** SIGCONT to the processes freeze() stopped. */
  thaw(): void;
  stop(): void;
}

/** Newest /usr/lib/postgresql/N/bin with initdb, or $LOCKSCOPE_PG_BIN. */
export function findPgBinDir(): string {
  const fromEnv = process.env['LOCKSCOPE_PG_BIN'];
  if (fromEnv !== undefined && existsSync(join(fromEnv, 'initdb'))) return fromEnv;
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((d) => existsSync(join(root, d, 'bin', 'initdb'))) : [];
  majors.sort((a, b) => Number(b) - Number(a));
  const newest = majors[0];
  if (newest === undefined) {
    throw new Error('No PostgreSQL server binaries found (apt-get install postgresql, or set LOCKSCOPE_PG_BIN).');
  }
  return join(root, newest, 'bin');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const isRoot = userInfo().uid === 0;

/** initdb and postgres refuse to run as root; run them as the `postgres` OS user the Debian package creates. */
function run(binDir: string, tool: string, args: string[]): string {
  const file = join(binDir, tool);
  const [cmd, cmdArgs] = isRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
  return execFileSync(cmd, cmdArgs, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const liveClusters = new Set<PgCluster>();
process.on('exit', () => {
  for (const cluster of liveClusters) cluster.stop();
});

export interface ClusterOptions {
  /** Extra server settings, e.g. { max_locks_per_transaction: '128' }. */
  settings?: Record<string, string>;
}

export async function startCluster(options: ClusterOptions = {}): Promise<PgCluster> {
  const binDir = findPgBinDir();
  const major = Number(/postgresql\/(\d+)\//.exec(binDir)?.[1] ?? run(binDir, 'postgres', ['--version']).match(/(\d+)/)?.[1]);
  const base = mkdtempSync(join(tmpdir(), 'lockscope-pg-'));
  const dataDir = join(base, 'data');
  const socketDir = join(base, 'sock');
  const pwFile = join(base, 'pw');
  writeFileSync(pwFile, `${CLUSTER_PASSWORD}\n`);
  execFileSync('mkdir', ['-p', socketDir]);
  if (isRoot) {
    for (const p of [base, socketDir, pwFile]) chownSync(p, uidOf('postgres'), gidOf('postgres'));
  }
  run(binDir, 'initdb', [
    '-D',
    dataDir,
    '-U',
    'postgres',
    '--auth-local=trust',
    '--auth-host=scram-sha-256',
    `--pwfile=${pwFile}`,
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  const port = await freePort();
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    port: String(port),
    unix_socket_directories: socketDir,
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    max_connections: '300',
    shared_buffers: '64MB',
    ...options.settings,
  };
  const serverOpts = Object.entries(settings)
    .map(([k, v]) => `-c ${k}=${v}`)
    .join(' ');
  run(binDir, 'pg_ctl', ['-D', dataDir, '-o', serverOpts, '-l', join(base, 'server.log'), '-w', '-t', '60', 'start']);

  const urlFor = (database: string, password = CLUSTER_PASSWORD): string =>
    `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  let stopped = false;
  let frozen: number[] = [];
  const signalProcesses = (signal: 'SIGSTOP' | 'SIGCONT', pids: number[]): void => {
    for (const pid of pids) {
      try {
        process.kill(pid, signal);
      } catch {
        // The process has exited meanwhile.
      }
    }
  };
  const cluster: PgCluster = {
    url: urlFor('postgres'),
    urlFor,
    port,
    socketDir,
    binDir,
    major,
    psql(sql: string, database = 'postgres'): string {
      const psql = join(binDir, 'psql');
      const args = ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', socketDir, '-p', String(port), '-U', 'postgres', '-d', database];
      const result = spawnSync(psql, args, { input: sql, encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
      return result.stdout;
    },
    restart(): void {
      run(binDir, 'pg_ctl', ['-D', dataDir, '-o', serverOpts, '-l', join(base, 'server.log'), '-w', '-t', '60', '-m', 'fast', 'restart']);
    },
    restartCommand: [
      ...(isRoot ? ['runuser', '-u', 'postgres', '--'] : []),
      join(binDir, 'pg_ctl'),
      '-D',
      dataDir,
      '-o',
      `'${serverOpts}'`,
      '-l',
      join(base, 'server.log'),
      '-w',
      '-t',
      '60',
      '-m',
      'fast',
      'restart',
    ].join(' '),
    kill(): void {
      run(binDir, 'pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
    },
    start(): void {
      run(binDir, 'pg_ctl', ['-D', dataDir, '-o', serverOpts, '-l', join(base, 'server.log'), '-w', '-t', '60', 'start']);
    },
    freeze(): void {
      // Only this cluster's processes: its postmaster (postmaster.pid) and the postmaster's children.
      const postmaster = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      const children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(postmaster)], { encoding: 'utf8' })
        .split('\n')
        .map((line) => Number(line.trim()))
        .filter((pid) => pid > 0);
      frozen = [postmaster, ...children];
      signalProcesses('SIGSTOP', frozen);
    },
    thaw(): void {
      signalProcesses('SIGCONT', frozen);
      frozen = [];
    },
    stop(): void {
      if (stopped) return;
      stopped = true;
      cluster.thaw();
      liveClusters.delete(cluster);
      try {
        run(binDir, 'pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // Already down (a test may have stopped it on purpose); removing the directory is what matters.
      }
      rmSync(base, { recursive: true, force: true });
    },
  };
  liveClusters.add(cluster);
  return cluster;
}

function uidOf(user: string): number {
  return Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
}
function gidOf(user: string): number {
  return Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
}
