import type { Kysely } from 'kysely';
import { actorOf } from '../audit/actor.js';
import type { CsvDownloads } from '../csv/csv-download.js';
import type { Database } from '../db/schema.js';
import { endpoints, route } from '../http/route.js';
import {
  approvePeriod,
  board,
  closedPeriods,
  readPeriod,
  reopenPeriod,
  returnPeriod,
  setCalendar,
  setDue,
  type StepListener,
  submitPeriod,
  todo,
} from './cycle.service.js';
import { boardProjection } from './board.csv.js';
import { universityNames } from './cycle.queries.js';
import { BoardRequestSchema } from './cycle.schemas.js';

/** The reporting cycle: the calendar, a period's steps (submit, approve, return, reopen) and the status board. */
export function cycleRoutes(db: Kysely<Database>, downloads: CsvDownloads, listener?: StepListener) {
  return [
    route(endpoints.cycleBoard, {
      access: ['admin', 'leadership', 'steward'],
      summary:
        'The status board: per university (a steward its own only) its calendar and the periods of a year (this one by default) with their status (not started, in progress, submitted, returned, approved, reopened), whether late, due date, records and last step. `format=csv` (or `xlsx`) gives one row per university and period (`formatted=true` in words, `lang=zh` with Chinese headers).',
      query: BoardRequestSchema,
      downloads: true,
      async handle({ req, res, query, caller }) {
        const answer = await board(db, caller!, query);
        if (!query.output.file) return answer;
        const names = query.output.formatted ? await universityNames(db) : new Map();
        await downloads.export(req, res, caller, boardProjection(answer, query.output, names), query.output.file);
      },
    }),
    route(endpoints.cycleTodo, {
      access: ['admin', 'leadership', 'steward'],
      summary:
        "What waits for the caller: a steward, its university's ended periods of this year and last year still to submit (not started, in progress, returned or reopened) and the next one due; an admin or leadership account, the submitted periods waiting for review.",
      handle: ({ caller }) => todo(db, caller!),
    }),
    route(endpoints.closedPeriods, {
      access: ['admin', 'leadership', 'steward'],
      summary:
        'The approved periods (closed to changes of their records) that overlap the days from–to, with who approved them and when; a steward its own university’s only.',
      handle: ({ query, caller }) => closedPeriods(db, caller!, query),
    }),
    route(endpoints.reportingPeriod, {
      access: ['admin', 'leadership', 'steward'],
      summary:
        'One period of a university (a steward its own only): its status, what its last submission froze, and its steps with their comments.',
      problems: [404],
      async handle({ params, caller }) {
        return readPeriod(db, params.university, params.period, caller!);
      },
    }),
    route(endpoints.submitPeriod, {
      access: ['admin', 'steward'],
      summary:
        'Submit an ended period of a university (a steward its own only): freezes the count and totals of each kind of its records dated in the period and their SHA-256. 409 while it waits for review or is approved, or when nothing changed since it was returned or reopened.',
      problems: [404, 409],
      handle: ({ req, params, body, caller }) =>
        submitPeriod(db, caller!, actorOf(req, caller), { ...params, comment: body.note }, listener),
    }),
    route(endpoints.approvePeriod, {
      access: ['admin', 'leadership'],
      summary:
        'Approve a submitted period: it is closed to changes of its records until an admin reopens it. 409 when it is not submitted, or its records changed since.',
      problems: [404, 409],
      handle: ({ req, params, body, caller }) =>
        approvePeriod(db, caller!, actorOf(req, caller), { ...params, comment: body.note }, listener),
    }),
    route(endpoints.returnPeriod, {
      access: ['admin', 'leadership'],
      summary:
        'Return a submitted period with a comment: the steward corrects its records and submits it again. 409 when it is not submitted.',
      problems: [404, 409],
      handle: ({ req, params, body, caller }) =>
        returnPeriod(db, caller!, actorOf(req, caller), { ...params, comment: body.comment }, listener),
    }),
    route(endpoints.reopenPeriod, {
      access: ['admin'],
      summary:
        'Reopen an approved period with a reason: its records may change again, and it is submitted again. 409 when it is not approved.',
      problems: [404, 409],
      handle: ({ req, params, body, caller }) =>
        reopenPeriod(db, caller!, actorOf(req, caller), { ...params, comment: body.reason }, listener),
    }),
    route(endpoints.setPeriodDue, {
      access: ['admin'],
      summary: "Set a period's own due date (null: the calendar's default, its end plus the university's due days).",
      problems: [404],
      handle: ({ req, params, body, caller }) => setDue(db, actorOf(req, caller), { ...params, dueOn: body.dueOn }),
    }),
    route(endpoints.setCalendar, {
      access: ['admin'],
      summary: 'Set how often a university reports (month, quarter, year) and how many days after a period’s end it is due.',
      problems: [404],
      handle: ({ req, params, body, caller }) => setCalendar(db, caller!, actorOf(req, caller), params.university, body),
    }),
  ];
}
