// A real ShopX server for the e2e run: a fresh data directory seeded at scale S (the
// README's demo data), an admin token, a dashboard user of each role (support/users.ts), and
// `shopx serve` on a free port with the dashboard build, anonymous reads on and the rate
// limiter off. Used by the global setup only.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, open, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import { ARTIFACTS_DIR, DIST_DIR, pythonPath } from "./environment";
import { USERS } from "./users";

const run = promisify(execFile);

const HEALTH_PATH = "/health";
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
const POLL_MS = 100;

export interface RunningServer {
  baseURL: string;
  adminToken: string;
  /** Seconds spent in init + seed. */
  seedSeconds: number;
  stop(): Promise<void>;
}

/**
 * The server's environment: only what is set here among SHOPX_ variables, so an
 * operator's SHOPX_DATABASE_URL or SHOPX_REDIS_URL never points the run elsewhere.
 */
function serverEnv(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith("SHOPX_")) env[name] = value;
  }
  return {
    ...env,
    SHOPX_DATA_DIR: dataDir,
    SHOPX_DASHBOARD_DIR: DIST_DIR,
    SHOPX_ANONYMOUS_READS: "true",
    SHOPX_RATE_LIMIT_ENABLED: "false",
    // Scheduled jobs (segments caught up at startup) would change figures a spec compares.
    SHOPX_SCHEDULER_ENABLED: "false",
  };
}

/** Runs a shopx command; ``input`` is its stdin (a password: never an argument). */
async function shopx(args: string[], dataDir: string, input = ""): Promise<string> {
  try {
    const pending = run(pythonPath(), ["-m", "shopx", ...args], {
      cwd: dataDir,
      env: serverEnv(dataDir),
      maxBuffer: 16 * 1024 * 1024,
    });
    pending.child.stdin?.end(input);
    const { stdout } = await pending;
    return stdout;
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`shopx ${args.join(" ")} failed:\n${stdout}${stderr}`);
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once("exit", () => resolve()));
}

async function waitForHealth(url: string, child: ChildProcess, logPath: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`shopx serve exited with ${child.exitCode}; its log: ${logPath}`);
    }
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`shopx serve did not answer ${url} within ${START_TIMEOUT_MS} ms; log: ${logPath}`);
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
  await exited(child);
  clearTimeout(timer);
}

export async function startSeededServer(): Promise<RunningServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "shopx-e2e-"));
  const started = performance.now();
  await shopx(["init"], dataDir);
  await shopx(["seed", "--scale", "S"], dataDir);
  const seedSeconds = (performance.now() - started) / 1000;
  for (const { email, role, password } of Object.values(USERS)) {
    await shopx(["user", "create", "--email", email, "--role", role], dataDir, `${password}\n`);
  }
  const adminToken = (
    await shopx(["token", "create", "--role", "admin", "--ttl", "12h", "--subject", "e2e"], dataDir)
  ).trim();

  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  const logPath = path.join(ARTIFACTS_DIR, "server.log");
  const log = await open(logPath, "w");
  const child = spawn(
    pythonPath(),
    ["-m", "shopx", "serve", "--host", "127.0.0.1", "--port", String(port)],
    { cwd: dataDir, env: serverEnv(dataDir), stdio: ["ignore", log.fd, log.fd] },
  );
  // If the runner dies without its teardown (Ctrl-C), the server goes with it.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);

  const stop = async () => {
    process.removeListener("exit", killOnExit);
    await stopProcess(child);
    await log.close();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(baseURL + HEALTH_PATH, child, logPath);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseURL, adminToken, seedSeconds, stop };
}
