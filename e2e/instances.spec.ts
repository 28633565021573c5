// Several app instances on one PostgreSQL (issue: reliability at scale). Two
// production servers (server.ts) share a fresh database; the tests send
// parallel uses of the same tickets to both, ask both for links to one
// address, and read both servers' logs. Runs when TEST_POSTGRES_URL is set
// (CI sets it); needs the production build, like every flow here.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { type Server, createServer, request } from "node:http";

import { expect, test } from "@playwright/test";
import pg from "pg";

import { linkIn, waitForMail } from "./support/mail";

const postgresUrl = process.env.TEST_POSTGRES_URL;
const smtpPort = Number(process.env.E2E_SMTP_PORT ?? 2526);
const ports = [3201, 3202] as const;
/** The public address: a load balancer in front of both, as in production. */
const publicPort = 3200;
const publicBase = `http://localhost:${publicPort}`;

test.describe.configure({ mode: "serial" });
test.skip(!postgresUrl, "needs TEST_POSTGRES_URL (PostgreSQL)");

interface Instance {
  base: string;
  process: ChildProcess;
  output: string[];
}

let databaseUrl = "";
let databaseName = "";
let apiKey = "";
const instances: Instance[] = [];
let balancer: Server | undefined;
/** Which instance the load balancer sends the next requests to. */
let route = 0;

/** A minimal load balancer: forwards each request, as it is, to instance `route`. */
async function startBalancer(): Promise<Server> {
  const server = createServer((req, res) => {
    const upstream = request({ host: "127.0.0.1", port: ports[route], method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(publicPort, "127.0.0.1", resolve));
  return server;
}

function run(script: string, args: string[] = []): string {
  return execFileSync(process.execPath, ["--import", "tsx", script, ...args], { env: { ...process.env, DATABASE_URL: databaseUrl }, encoding: "utf8" });
}

async function waitForHealth(base: string, child: ChildProcess) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${base} exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${base} did not come up`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  databaseName = `tg_instances_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${databaseName}"`);
  await admin.end();
  const url = new URL(postgresUrl!);
  url.pathname = `/${databaseName}`;
  databaseUrl = url.toString();

  // The operator's commands: migrate once, create an API project.
  run("scripts/db/migrate.ts");
  apiKey = /\b(tg_[A-Za-z0-9_-]+)/.exec(run("scripts/api-project.ts", ["instances"]))![1]!;

  for (const port of ports) {
    const output: string[] = [];
    const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
      env: {
        ...process.env,
        NODE_ENV: "production",
        PORT: String(port),
        HOST: "127.0.0.1",
        DATABASE_URL: databaseUrl,
        // Both sit behind one public address.
        APP_URL: publicBase,
        AUTH_SECRET: "instances-secret-instances-secret-instances",
        SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
        LOGIN_MIN_INTERVAL_SECONDS: "60",
        CLEANUP_INTERVAL_MINUTES: "0",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    instances.push({ base: `http://localhost:${port}`, process: child, output });
  }
  await Promise.all(instances.map((instance) => waitForHealth(instance.base, instance.process)));
  balancer = await startBalancer();
});

test.afterAll(async () => {
  await new Promise((resolve) => (balancer ? balancer.close(resolve) : resolve(undefined)));
  await Promise.all(
    instances.map(
      (instance) =>
        new Promise<void>((resolve) => {
          if (instance.process.exitCode !== null) return resolve();
          instance.process.once("exit", () => resolve());
          instance.process.kill("SIGTERM");
        }),
    ),
  );
  if (databaseName) {
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
    await admin.end();
  }
});

async function api(base: string, path: string, body: unknown) {
  const res = await fetch(`${base}${path}`, { method: "POST", headers: { "Content-Type": "application/json", Authorization: `Bearer ${apiKey}` }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const created: string[] = [];

test("exactly once across two instances: 40 tickets, each presented 4 times at once, 2 to each instance", async () => {
  const [a, b] = instances;
  for (let i = 0; i < 40; i++) {
    const res = await api(a!.base, "/v1/tickets", { uses: 1, ttl: 600, payload: { n: i } });
    expect(res.status).toBe(200);
    created.push(res.body.ticket as string);
  }
  const answers = await Promise.all(created.flatMap((ticket) => [a, b, a, b].map(async (instance) => ({ ticket, ...(await api(instance!.base, "/v1/tickets/use", { ticket })) }))));
  for (const [i, ticket] of created.entries()) {
    const mine = answers.filter((answer) => answer.ticket === ticket);
    expect(mine.filter((answer) => answer.status === 200).map((answer) => answer.body), `ticket ${i}`).toEqual([{ uses: 0, payload: { n: i } }]);
    expect(mine.filter((answer) => answer.status !== 200).map((answer) => answer.body.code)).toEqual([102011, 102011, 102011]);
  }
});

test("rate limits hold across both instances, and each mail is delivered once", async ({ browser }) => {
  const email = `both-${randomBytes(3).toString("hex")}@example.com`;
  const since = Date.now();
  const page = await browser.newPage();
  route = 0;
  await page.goto(`${publicBase}/login`);
  await page.getByLabel("E-mail address").fill(email);
  await page.getByRole("button", { name: "E-mail me a sign-in link" }).click();
  await expect(page.getByRole("heading", { name: "Check your mail" })).toBeVisible();

  // The second instance knows about the first request: the limit lives in the database.
  const other = await browser.newPage();
  route = 1;
  await other.goto(`${publicBase}/login`);
  await other.getByLabel("E-mail address").fill(email);
  await other.getByRole("button", { name: "E-mail me a sign-in link" }).click();
  // Within the minute the answer says the link is on its way, not "too many".
  await expect(other.getByText(/A link was sent a moment ago\. You can ask for another in \d+ seconds?\./)).toBeVisible();

  // Both workers poll the one outbox; the mail arrives once.
  const mail = await waitForMail(email, since);
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const { allMail } = await import("./support/mail");
  expect(allMail().filter((m) => m.to.includes(email))).toHaveLength(1);

  // The link opens on the other instance, in the browser that asked (it is bound to it), and the button press spends it there.
  const link = linkIn(mail);
  expect(link.startsWith(`${publicBase}/ticket/`)).toBe(true);
  route = 1;
  await page.goto(link);
  await expect(page.getByRole("heading", { name: /^Continue as/ })).toBeVisible();
  await page.getByRole("button", { name: /^Continue as/ }).click();
  await expect(page).toHaveURL(`${publicBase}/account`);
  created.push(link.split("/ticket/")[1]!);
  await page.close();
  await other.close();
});

test("the logs are JSON lines and never hold a ticket value", async () => {
  const lines = instances.flatMap((instance) => instance.output.join("").split("\n")).filter((line) => line.startsWith("{"));
  const entries = lines.map((line) => JSON.parse(line) as { event: string; path?: string; status?: number });
  expect(entries.filter((entry) => entry.event === "request" && entry.path === "/v1/tickets/use").length).toBeGreaterThanOrEqual(160);
  expect(entries).toContainEqual(expect.objectContaining({ event: "request", path: "/ticket/:ticket", status: 200 }));
  const everything = instances.map((instance) => instance.output.join("")).join("\n");
  for (const ticket of created) expect(everything).not.toContain(ticket);
});
