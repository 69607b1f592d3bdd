import type { Request } from 'express';
import type { Caller } from '../http/route.js';
import type { Actor } from './audit.queries.js';

/** The audit log's view of who is calling: account and address (as Express sees it, behind TRUST_PROXY). */
export function actorOf(req: Request, caller: Caller | null): Actor {
  return { id: caller?.id ?? null, email: caller?.email ?? null, address: req.ip ?? null };
}
