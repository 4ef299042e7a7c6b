// A clinic server on a network of its own, for the clinic-network spec: a
// throwaway PostgreSQL cluster (Debian's `postgresql`) inside a Linux network
// namespace, reached from this machine through a veth pair, so the app
// instances talk to it across a real network interface (TLS, pg_hba by
// subnet, SCRAM), as a clinic's PCs talk to their server.
//
//   const server = await startServerHost();   // root only: netns + veth + cluster
//   server.address                          // postgresql://10.77.N.1:5432/clinic?fingerprint=AB:…
//   server.setupUrl                         // the same as the cluster's superuser (the setup user)
//   await server.stop(); await server.start();   // the server goes away and comes back
//   server.psql(user, password, sql)        // a plain client with someone's own credentials
//   await server.remove();                  // always, in `after`
//
// Nothing here touches the network outside the namespace and the veth pair.

import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const SUPER_PASSWORD = 'dermis-e2e-setup-password';

function pgBin() {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .map((v) => path.join(root, v, 'bin'))
    .filter((b) => existsSync(path.join(b, 'initdb')))
    .sort();
  return versions.pop() ?? null;
}

/** Why this machine cannot run the clinic-network spec, or null when it can. */
export function serverHostUnavailable() {
  if (process.getuid?.() !== 0) return 'network namespaces need root';
  if (!pgBin()) return "no PostgreSQL server binaries (Debian's postgresql)";
  for (const tool of ['ip', 'openssl', 'runuser', 'psql']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is missing`;
  }
  return null;
}

const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts }).toString();
const tryRun = (cmd, args) => spawnSync(cmd, args, { stdio: 'ignore' });

/** Starts the namespace, the link and the cluster; every failure half-way removes what was made. */
export async function startServerHost({ database = 'clinic' } = {}) {
  const why = serverHostUnavailable();
  if (why) throw new Error(`the clinic-network spec cannot run here: ${why}`);
  const bin = pgBin();
  const tag = `${process.pid % 100000}`;
  const ns = `dermis-e2e-${tag}`;
  const hostIf = `dxh${tag}`;
  const serverIf = `dxs${tag}`;
  // A /24 of our own in 10.77.x.0, unlikely to meet the machine's own networks.
  const net = `10.77.${(process.pid % 200) + 20}`;
  const serverIp = `${net}.1`;
  const hostIp = `${net}.2`;
  const port = 5432;
  const dir = mkdtempSync(path.join(tmpdir(), 'dermis-e2e-server-'));
  const data = path.join(dir, 'data');
  const asPostgres = (tool, args) => run('runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args]);
  const inNs = (cmd, args) => run('ip', ['netns', 'exec', ns, cmd, ...args]);

  const remove = async () => {
    tryRun('ip', ['netns', 'exec', ns, 'runuser', '-u', 'postgres', '--', path.join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', 'stop']);
    tryRun('ip', ['link', 'del', hostIf]);
    tryRun('ip', ['netns', 'del', ns]);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    run('ip', ['netns', 'add', ns]);
    run('ip', ['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', serverIf]);
    run('ip', ['link', 'set', serverIf, 'netns', ns]);
    run('ip', ['addr', 'add', `${hostIp}/24`, 'dev', hostIf]);
    run('ip', ['link', 'set', hostIf, 'up']);
    inNs('ip', ['addr', 'add', `${serverIp}/24`, 'dev', serverIf]);
    inNs('ip', ['link', 'set', serverIf, 'up']);
    inNs('ip', ['link', 'set', 'lo', 'up']);

    const pw = path.join(dir, 'pw');
    writeFileSync(pw, SUPER_PASSWORD);
    run('chown', ['-R', 'postgres:postgres', dir]);
    asPostgres('initdb', ['-D', data, '-U', 'postgres', '-A', 'scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8', `--pwfile=${pw}`]);
    // The clinic's certificate, as scripts/clinic-server.sh makes one.
    const crt = path.join(dir, 'server.crt');
    const key = path.join(dir, 'server.key');
    run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=dermis-e2e-server', '-keyout', key, '-out', crt]);
    chownSync(crt, uidOf('postgres'), gidOf('postgres'));
    chownSync(key, uidOf('postgres'), gidOf('postgres'));
    chmodSync(key, 0o600);
    const fingerprint = run('openssl', ['x509', '-noout', '-fingerprint', '-sha256', '-in', crt]).trim().split('=').pop();
    // Only the clinic's subnet, only TLS, only SCRAM (as the set-up script).
    writeFileSync(path.join(data, 'pg_hba.conf'), `local all postgres scram-sha-256\nhostssl all all ${net}.0/24 scram-sha-256\n`);
    appendFileSync(
      path.join(data, 'postgresql.conf'),
      `\nlisten_addresses = '${serverIp}'\nport = ${port}\nunix_socket_directories = '${dir}'\nssl = on\nssl_cert_file = '${crt}'\nssl_key_file = '${key}'\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\n`,
    );
    run('chown', ['-R', 'postgres:postgres', dir]);

    const pgctl = (args) => inNs('runuser', ['-u', 'postgres', '--', path.join(bin, 'pg_ctl'), '-D', data, '-l', path.join(dir, 'log'), ...args]);
    const start = async () => {
      pgctl(['-w', 'start']);
    };
    const stop = async () => {
      pgctl(['-m', 'fast', '-w', 'stop']);
    };
    await start();
    // The clinic's database, owned by the setup user (here the cluster's superuser).
    const superEnv = { ...process.env, PGPASSWORD: SUPER_PASSWORD, PGSSLMODE: 'require' };
    run('psql', ['-X', '-q', '-h', serverIp, '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-c', `CREATE DATABASE ${database}`], { env: superEnv });

    const address = `postgresql://${serverIp}:${port}/${database}?fingerprint=${fingerprint}`;
    return {
      ns,
      serverIp,
      port,
      database,
      fingerprint,
      address,
      /** The address naming the setup user (password: setupPassword), for `dermis init`. */
      setupUrl: `postgresql://postgres@${serverIp}:${port}/${database}?fingerprint=${fingerprint}`,
      setupPassword: SUPER_PASSWORD,
      start,
      stop,
      remove,
      /** `psql` as `user` with `password` over TLS across the link: { status, stdout, stderr }. */
      psql(user, password, sql) {
        const r = spawnSync('psql', ['-X', '-q', '-tA', '-v', 'ON_ERROR_STOP=1', '-h', serverIp, '-p', String(port), '-U', user, '-d', database, '-c', sql], {
          env: { ...process.env, PGPASSWORD: password, PGSSLMODE: 'require', PGCONNECT_TIMEOUT: '5' },
        });
        return { status: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
      },
    };
  } catch (err) {
    await remove();
    throw err;
  }
}

function uidOf(user) {
  return Number(run('id', ['-u', user]).trim());
}
function gidOf(user) {
  return Number(run('id', ['-g', user]).trim());
}
