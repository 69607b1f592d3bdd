import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';

describe('loadConfig', () => {
  it('when nothing is set, then it uses the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      demoData: 'auto',
      logLevel: 'info',
      trustProxy: false,
      // OWASP's scrypt cost, N=2^17: the tests run lower, production never does unless told.
      passwordHashLog2n: 17,
      databaseProbeWindowMs: 1500,
      // As long as an orchestrator waits before it kills: room for an import to finish its transaction.
      shutdownGraceMs: 30_000,
    });
    expect(config.dataDir).toMatch(/\/data$/);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('when PUBLIC_URL is set, then it is an http(s) address without credentials, kept without its trailing slash', () => {
    expect(loadConfig({}).publicUrl).toBeNull();
    expect(loadConfig({ PUBLIC_URL: 'https://outcomes.example.edu.cn/' }).publicUrl).toBe('https://outcomes.example.edu.cn');
    expect(loadConfig({ PUBLIC_URL: 'http://10.0.0.5:3000/dash//' }).publicUrl).toBe('http://10.0.0.5:3000/dash');
    for (const bad of [
      'outcomes.example.edu.cn',
      'ftp://h/',
      'https://u:secret@h/',
      'https://h/?a=1',
      'https://h/#/x',
      'javascript:alert(1)',
    ])
      expect(() => loadConfig({ PUBLIC_URL: bad }), bad).toThrow(/PUBLIC_URL/);
    expect(() => loadConfig({ PUBLIC_URL: 'https://u:secret@h/' })).not.toThrow(/secret/);
  });

  it('when a read replica is named, then it needs the primary, and both are postgres URLs', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://a@h/db', DATABASE_READ_URL: 'postgres://a@replica/db' }).databaseReadUrl).toBe(
      'postgres://a@replica/db',
    );
    expect(() => loadConfig({ DATABASE_READ_URL: 'postgres://a@replica/db' })).toThrow(/DATABASE_READ_URL.*DATABASE_URL/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://a@h/db', DATABASE_READ_URL: 'mysql://x' })).toThrow(ConfigError);
  });

  it('when the probe window is set, then it is a whole number of milliseconds from 500 to 60000', () => {
    expect(loadConfig({ DATABASE_PROBE_WINDOW_MS: '10000' }).databaseProbeWindowMs).toBe(10_000);
    for (const bad of ['0', '499', '60001', '1.5', 'soon'])
      expect(() => loadConfig({ DATABASE_PROBE_WINDOW_MS: bad }), bad).toThrow(/DATABASE_PROBE_WINDOW_MS/);
  });

  it('when the shutdown grace is set, then it is a whole number of milliseconds from 1000 to 600000', () => {
    expect(loadConfig({ SHUTDOWN_GRACE_MS: '120000' }).shutdownGraceMs).toBe(120_000);
    for (const bad of ['0', '999', '600001', '1.5', 'soon'])
      expect(() => loadConfig({ SHUTDOWN_GRACE_MS: bad }), bad).toThrow(/SHUTDOWN_GRACE_MS/);
  });

  it('when a variable is empty, then it counts as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' })).toMatchObject({ port: 3000, databaseUrl: undefined });
  });

  it('when values are given, then they are parsed', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://u:p@db:5432/alliance',
      DEMO_DATA: 'off',
      LOG_LEVEL: 'warn',
      TRUST_PROXY: '1',
      PASSWORD_HASH_LOG2N: '12',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      databaseUrl: 'postgres://u:p@db:5432/alliance',
      demoData: 'off',
      logLevel: 'warn',
      trustProxy: 1,
      passwordHashLog2n: 12,
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '3.5'],
    ['DEMO_DATA', 'yes'],
    ['LOG_LEVEL', 'loud'],
    ['DATABASE_URL', 'mysql://localhost/x'],
    ['DATABASE_URL', 'not a url'],
    ['PASSWORD_HASH_LOG2N', '9'],
    ['PASSWORD_HASH_LOG2N', '21'],
    ['PASSWORD_HASH_LOG2N', '12.5'],
    ['PASSWORD_HASH_LOG2N', 'cheap'],
  ])('when %s is %j, then the error names the variable and the value', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(
      new RegExp(`${name} .*\\(got "${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\)`),
    );
  });

  it.each([
    ['1', 1],
    ['2', 2],
    ['false', false],
    ['10.0.0.5', ['10.0.0.5']],
    ['loopback, 10.0.0.0/8,fd00::/8', ['loopback', '10.0.0.0/8', 'fd00::/8']],
    ['linklocal,uniquelocal,::1', ['linklocal', 'uniquelocal', '::1']],
  ])('when TRUST_PROXY is %j, then it names those proxies', (value, expected) => {
    expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it.each(['true', 'TRUE', '0', '33', '-1', '1.5', 'yes', '10.0.0.0/33', '300.1.1.1', 'example.com', 'loopback,', '*'])(
    'when TRUST_PROXY is %j, then start-up is refused with one line naming it',
    (value) => {
      expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(ConfigError);
      expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/^invalid configuration: TRUST_PROXY [^\n]+$/);
    },
  );

  it('when TRUST_PROXY is true, then the refusal says why', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(
      /TRUST_PROXY must name the proxies.*any client-written X-Forwarded-For/,
    );
  });

  it('when several variables are bad, then every one is named', () => {
    expect(() => loadConfig({ PORT: 'x', DEMO_DATA: 'y' })).toThrow(/PORT.*DEMO_DATA/);
  });

  it.each([
    ['SMTP_URL', 'smtp://u:s3cr/et@h:x', 's3cr/et'],
    ['SMTP_URL', 'smtp://u:p@ss@host:99999', 'p@ss'],
    ['SMTP_URL', 'ftp://user:hunter2@host', 'hunter2'],
    ['DATABASE_URL', 'mysql://admin:hunter2@db/x', 'hunter2'],
  ])('when %s is refused, then the line shows no part of its credentials', (name, url, secret) => {
    let message = '';
    try {
      loadConfig({ [name]: url, MAIL_FROM: 'o@example.org' });
    } catch (error) {
      message = String((error as Error).message);
    }
    expect(message).toContain(name);
    expect(message).toContain(':***@');
    expect(message).not.toContain(secret);
    expect(message).not.toContain(secret.slice(-3));
  });
});
