import type { Kysely } from 'kysely';
import { zodSays } from '../../contract/problems.js';
import { actorOf } from '../audit/actor.js';
import type { Database } from '../db/schema.js';
import { endpoints, route } from '../http/route.js';
import { ONCE_VALID } from '../http/text.js';
import { TargetsBodySchema as ContractTargetsBody } from '../../contract/schemas/targets.js';
import { TARGETED_MEASURES } from '../kpi/registry.js';
import { listTargets, setTargets } from './targets.service.js';

/**
 * The contract's body, with the server's checks: a stock (projects in incubation) is a level, not
 * an output, so it has no yearly target; and no target twice in one request.
 */
const TargetsBodySchema = ContractTargetsBody.superRefine((body, ctx) => {
  const seen = new Map<string, number>();
  body.targets.forEach((t, i) => {
    if (!TARGETED_MEASURES.includes(t.measure))
      ctx.addIssue({
        code: 'custom',
        path: ['targets', i, 'measure'],
        message: zodSays('targeted_measure_one_of', { values: TARGETED_MEASURES }),
      });
    const key = `${t.measure}|${t.year}|${t.university ?? ''}`;
    const first = seen.get(key);
    if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['targets', i], message: zodSays('same_target', { first }) });
    else seen.set(key, i);
  });
}, ONCE_VALID);

export function targetsRoutes(db: Kysely<Database>) {
  return [
    route(endpoints.targets, {
      access: 'signed_in',
      cached: true,
      summary:
        'Yearly targets per measure, for a university or alliance-wide (university null); filter by year, measure, university (or alliance). `warnings` names each measure and year (of the year and measures asked for) whose universities’ targets add up to more than the alliance’s.',
      handle: ({ query }) => listTargets(db, query),
    }),
    route(endpoints.setTargets, {
      access: ['admin'],
      summary:
        'Set targets (value null removes one); all or none are applied, each change audited. `warnings` names each measure and year of the request whose universities’ targets now add up to more than the alliance’s: saved all the same.',
      body: TargetsBodySchema,
      handle: ({ req, body, caller }) => setTargets(db, actorOf(req, caller), caller!.id, body.targets),
    }),
  ];
}
