import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processRuns, spoolFile, sweepSpool } from '../../server/lib/spool.js';

/**
 * The spool sweep: a file whose owner (the process id its name starts with) has ended is removed
 * at the next start, however young; a running process's young file never is; any file older
 * than 6 h goes whatever its name.
 */

const HOUR = 60 * 60 * 1000;

/** The id of a process that has just ended (and whose id no other process has taken since). */
function endedPid(): number {
  for (;;) {
    const { pid } = spawnSync(process.execPath, ['-e', '']);
    try {
      if (pid) process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') return pid as number;
    }
  }
}

function touch(dir: string, name: string, ageMs = 0): string {
  const path = join(dir, name);
  writeFileSync(path, 'x');
  if (ageMs > 0) {
    const when = (Date.now() - ageMs) / 1000;
    utimesSync(path, when, when);
  }
  return path;
}

describe('the spool sweep', () => {
  let running: ChildProcess;
  let runningPid: number;

  beforeAll(async () => {
    running = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
    await new Promise((resolve) => running.once('spawn', resolve));
    runningPid = running.pid as number;
  });

  afterAll(() => {
    running.kill();
  });

  it("when the first import of a process starts, then an ended process's fresh file is gone and a running one's stays", () => {
    const dir = join(tmpdir(), 'alliance-outcomes-imports');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const dead = touch(dir, `${endedPid()}-0123456789abcdef.upload`);
    const live = touch(dir, `${runningPid}-0123456789abcdef.rows`);
    try {
      spoolFile('upload');
      expect(existsSync(dead)).toBe(false);
      expect(existsSync(live)).toBe(true);
    } finally {
      rmSync(dead, { force: true });
      rmSync(live, { force: true });
    }
  });

  it('when a folder holds every kind of file, then only those no running import can own are removed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spool-sweep-'));
    try {
      const deadPid = endedPid();
      touch(dir, `${deadPid}-a.upload`);
      touch(dir, `${deadPid}-b.rows`, 5 * 60 * 1000);
      touch(dir, `${runningPid}-c.rows`);
      touch(dir, `${runningPid}-d.upload`, 5 * HOUR);
      touch(dir, `${runningPid}-e.upload`, 7 * HOUR);
      // This process's id on a file older than the process: an earlier process that had the same id.
      touch(dir, `${process.pid}-f.upload`, process.uptime() * 1000 + HOUR);
      touch(dir, `${process.pid}-g.upload`);
      touch(dir, 'notes.txt');
      touch(dir, 'old-notes.txt', 7 * HOUR);
      touch(dir, '0-h.upload');

      const removed = sweepSpool(dir);

      expect(removed.sort()).toEqual(
        [`${deadPid}-a.upload`, `${deadPid}-b.rows`, `${runningPid}-e.upload`, `${process.pid}-f.upload`, 'old-notes.txt'].sort(),
      );
      for (const kept of [
        `${runningPid}-c.rows`,
        `${runningPid}-d.upload`,
        `${process.pid}-g.upload`,
        'notes.txt',
        '0-h.upload',
      ]) {
        expect(existsSync(join(dir, kept)), kept).toBe(true);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when the folder is missing, then the sweep removes nothing and does not throw', () => {
    expect(sweepSpool(join(tmpdir(), 'spool-sweep-missing-folder'))).toEqual([]);
  });

  it('when an owner runs, whoever it runs as, then it counts as running; an ended one does not', () => {
    // Process 1 always runs: as root the signal is allowed, as anyone else it is refused (EPERM).
    expect(processRuns(1)).toBe(true);
    expect(processRuns(endedPid())).toBe(false);
  });
});
