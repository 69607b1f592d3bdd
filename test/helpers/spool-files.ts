import { readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { SPOOL_DIR } from '../../server/lib/spool.js';

/**
 * The spool files this process holds on disk (the servers the tests start run in it): those in
 * the spool folder under its name, and those already removed from the folder but still open,
 * whose bytes stay on disk until they close (a download's file while it is being sent). Names only,
 * `suffix` (e.g. `.export`) to keep one kind.
 */
export function spoolFilesHeld(suffix = ''): string[] {
  const ours = (name: string) => name.startsWith(`${process.pid}-`) && name.endsWith(suffix);
  const held = new Set<string>();
  try {
    for (const name of readdirSync(SPOOL_DIR)) if (ours(name)) held.add(name);
  } catch {
    // No folder yet: nothing spooled.
  }
  const removed = `${SPOOL_DIR}/`;
  for (const target of openFilePaths()) {
    if (!target.startsWith(removed) || !target.endsWith(' (deleted)')) continue;
    const name = target.slice(removed.length, -' (deleted)'.length);
    if (ours(name)) held.add(name);
  }
  return [...held].sort();
}

/** What this process's open file descriptors point to (a removed file's path ends in ` (deleted)`); none where /proc is missing. */
export function openFilePaths(): string[] {
  let descriptors: string[];
  try {
    descriptors = readdirSync('/proc/self/fd');
  } catch {
    return [];
  }
  const paths: string[] = [];
  for (const fd of descriptors) {
    try {
      paths.push(readlinkSync(join('/proc/self/fd', fd)));
    } catch {
      // Closed while listed.
    }
  }
  return paths;
}
