/** What the benchmarks share: the application on a loopback port, signed in, and their statistics. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../server/app.js';
import { hashPassword } from '../server/auth/password.js';
import { loadConfig } from '../server/config.js';
import type { DatabaseHandle } from '../server/db/connect.js';
import { MEASURE_IDS } from '../contract/measure-ids.js';
import { createLogger } from '../server/logger.js';

export interface BenchApp {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** The API's root: `<origin>/api/v1`. */
  base: string;
  /** The signed-in session's cookie (`ao_session=…`). */
  cookie: string;
  server: Server;
  /** GET below the API's root as the signed-in account; insists on a 200, returns the body. */
  get(path: string): Promise<string>;
  close(): void;
}

const EMAIL = 'bench@alliance.example';
const PASSWORD = 'bench password 1';

/**
 * The real application over `database`, listening on 127.0.0.1, with a leadership account signed
 * in. The answer cache is off unless asked for: most benchmarks measure the queries, not the cache.
 */
export async function serveForBench(
  database: DatabaseHandle,
  { env = {}, cacheAnswers = false }: { env?: Record<string, string>; cacheAnswers?: boolean } = {},
): Promise<BenchApp> {
  await database.db
    .insertInto('app_user')
    .values({ email: EMAIL, name: 'Bench', role: 'leadership', password_hash: await hashPassword(PASSWORD) })
    .onConflict((oc) => oc.column('email').doNothing())
    .execute();
  const config = loadConfig({ LOG_LEVEL: 'silent', ...env });
  const app = createApp({ database, config, log: createLogger(config), cacheAnswers });
  const server = createServer(app.handler).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const base = `${origin}/api/v1`;
  const login = await fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
  });
  const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
  const get = async (path: string, retry = true): Promise<string> => {
    // A keep-alive socket may have been closed while the benchmark did something else for minutes: one retry.
    const response = await fetch(`${base}${path}`, { headers: { cookie } }).catch((error: unknown) => {
      if (retry) return null;
      throw error;
    });
    if (!response) return get(path, false);
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return response.text();
  };
  return { origin, base, cookie, server, get, close: () => server.close() };
}

export const percentile = (samples: number[], p: number): number => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

/** The dashboard's queries that the scale benchmarks time. */
export const DASHBOARD_QUERIES: ReadonlyArray<{ name: string; path: string }> = [
  // This year to date: a period that ends inside a month, with its previous and year-ago spans.
  { name: '/summary', path: '/summary' },
  // A whole year: every span made of whole months.
  { name: '/summary (whole months)', path: '/summary?from=2025-01-01&to=2025-12-31' },
  {
    name: '/aggregate cash received by mode, month',
    path: '/aggregate?measures=tech_transfer.received,tech_transfer.received_to_date&by=mode,month&from=2025-01-01&to=2025-12-31',
  },
  { name: '/collaboration (cash received)', path: '/collaboration?measure=tech_transfer.received' },
  {
    name: '/aggregate rewards by mode, month',
    path: '/aggregate?measures=tech_transfer.reward_cash,tech_transfer.reward_equity,tech_transfer.rewarded_people&by=mode,month&from=2025-01-01&to=2025-12-31',
  },
  {
    name: '/aggregate ratios by university, year',
    path: '/aggregate?measures=tech_transfer.average_value,tech_transfer.collection_rate&by=university,year',
  },
  {
    name: '/aggregate companies by stake, month',
    path: '/aggregate?measures=incubation.companies&by=company_stake,month&from=2025-01-01&to=2025-12-31',
  },
  {
    // Trends' default view of the companies: every quarter since the agreement.
    name: '/aggregate companies by university, quarter',
    path: '/aggregate?measures=incubation.companies&by=university,quarter',
  },
  {
    // A stock read from the few snapshots: no rollup (the naive way is the same statement).
    name: '/aggregate capacity by university, quarter',
    path: '/aggregate?measures=capacity.transfer_offices,capacity.staff,capacity.tech_managers,capacity.co_built&by=university,quarter',
  },
  {
    name: '/aggregate?by=university,quarter',
    path: '/aggregate?measures=tech_transfer.contracts,tech_transfer.contract_value&by=university,quarter',
  },
  { name: '/aggregate?by=region,year&measures=<all>', path: `/aggregate?measures=${MEASURE_IDS.join(',')}&by=region,year` },
  { name: '/collaboration', path: '/collaboration?measure=credits.credits' },
];
