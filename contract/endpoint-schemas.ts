import type { z } from 'zod';
import type { EndpointName } from './endpoints.js';
import { AggregateAnswerSchema, CollaborationAnswerSchema, SummaryAnswerSchema } from './kpi.js';
import { AuditPageSchema, AuditQuerySchema } from './schemas/audit.js';
import { LoginBodySchema, LoginOptionsSchema, MePatchAnswerSchema, MePatchSchema, MeSchema } from './schemas/auth.js';
import { DemoStatusSchema, LeaveDemoBodySchema, LeaveDemoResultSchema } from './schemas/demo.js';
import {
  ApprovePeriodBodySchema,
  BoardAnswerSchema,
  BoardQuerySchema,
  CalendarBodySchema,
  CalendarParamsSchema,
  CalendarSchema,
  ClosedAnswerSchema,
  ClosedQuerySchema,
  PeriodAnswerSchema,
  PeriodDueBodySchema,
  PeriodParamsSchema,
  ReopenPeriodBodySchema,
  ReturnPeriodBodySchema,
  SubmitPeriodBodySchema,
  TodoAnswerSchema,
} from './schemas/cycle.js';
import { HealthSchema } from './schemas/health.js';
import {
  MailLogQuerySchema,
  MailLogSchema,
  MailMessageParamsSchema,
  MailMessageSchema,
  MailSettingsAnswerSchema,
  MailSettingsSchema,
  MailTestBodySchema,
} from './schemas/mail.js';
import { MetaSchema } from './schemas/meta.js';
import { OpenApiDocumentSchema } from './schemas/openapi.js';
import { ReportDocumentSchema } from './report.js';
import {
  ImportQuerySchema,
  ImportResultSchema,
  KindParamsSchema,
  RecordParamsSchema,
  RecordSchema,
  RecordsPageSchema,
  TemplateQuerySchema,
} from './schemas/records.js';
import {
  LiveReportSchema,
  SubmissionSchema,
  SubmissionsAnswerSchema,
  SubmissionWithRevisionsSchema,
  SubmitAnswerSchema,
} from './schemas/report.js';
import { TargetsAnswerSchema, TargetsBodySchema, TargetsQuerySchema, TargetsSetSchema } from './schemas/targets.js';
import {
  NewUniversitySchema,
  UniversitiesAnswerSchema,
  UniversityCodeParamsSchema,
  UniversityPatchSchema,
  UniversitySchema,
} from './schemas/universities.js';
import { UserIdParamsSchema, UserPatchSchema, UsersAnswerSchema, UserSchema, NewUserSchema } from './schemas/users.js';

/**
 * What each endpoint takes and answers. A request schema written here is the one the server
 * validates with (it may add checks of its own that keep its types); one left out here is checked
 * by the server alone (it depends on the server's registry) and is untyped for the client. The
 * response is what the route's handler must return (checked by `tsc`), what the API document
 * describes and what the client's call resolves to. An endpoint with no response answers without
 * JSON (204, CSV, a file).
 */
export interface EndpointSchemas {
  query?: z.ZodType;
  body?: z.ZodType;
  params?: z.ZodType;
  response?: z.ZodType;
}

export const endpointSchemas = {
  health: { response: HealthSchema },
  loginOptions: { response: LoginOptionsSchema },
  login: { body: LoginBodySchema, response: MeSchema },
  logout: {},
  me: { response: MeSchema },
  setMe: { body: MePatchSchema, response: MePatchAnswerSchema },
  meta: { response: MetaSchema },
  aggregate: { response: AggregateAnswerSchema },
  summary: { response: SummaryAnswerSchema },
  collaboration: { response: CollaborationAnswerSchema },
  records: { params: KindParamsSchema, response: RecordsPageSchema },
  createRecord: { params: KindParamsSchema, response: RecordSchema },
  updateRecord: { params: RecordParamsSchema, response: RecordSchema },
  deleteRecord: { params: RecordParamsSchema },
  importRecords: { params: KindParamsSchema, query: ImportQuerySchema, response: ImportResultSchema },
  // A file (a workbook or a CSV header), not JSON.
  importTemplate: { params: KindParamsSchema, query: TemplateQuerySchema },
  targets: { query: TargetsQuerySchema, response: TargetsAnswerSchema },
  setTargets: { body: TargetsBodySchema, response: TargetsSetSchema },
  universities: { response: UniversitiesAnswerSchema },
  addUniversity: { body: NewUniversitySchema, response: UniversitySchema },
  changeUniversity: { params: UniversityCodeParamsSchema, body: UniversityPatchSchema, response: UniversitySchema },
  removeUniversity: { params: UniversityCodeParamsSchema },
  users: { response: UsersAnswerSchema },
  createUser: { body: NewUserSchema, response: UserSchema },
  updateUser: { params: UserIdParamsSchema, body: UserPatchSchema, response: UserSchema },
  audit: { query: AuditQuerySchema, response: AuditPageSchema },
  demo: { response: DemoStatusSchema },
  leaveDemo: { body: LeaveDemoBodySchema, response: LeaveDemoResultSchema },
  report: { response: LiveReportSchema },
  submissions: { response: SubmissionsAnswerSchema },
  submitReport: { response: SubmitAnswerSchema },
  submission: { response: SubmissionWithRevisionsSchema },
  // Sent as stored (the canonical bytes its digest names): the schema documents what they hold.
  submissionDocument: { response: ReportDocumentSchema },
  cycleBoard: { query: BoardQuerySchema, response: BoardAnswerSchema },
  reportingPeriod: { params: PeriodParamsSchema, response: PeriodAnswerSchema },
  submitPeriod: { params: PeriodParamsSchema, body: SubmitPeriodBodySchema, response: PeriodAnswerSchema },
  approvePeriod: { params: PeriodParamsSchema, body: ApprovePeriodBodySchema, response: PeriodAnswerSchema },
  returnPeriod: { params: PeriodParamsSchema, body: ReturnPeriodBodySchema, response: PeriodAnswerSchema },
  reopenPeriod: { params: PeriodParamsSchema, body: ReopenPeriodBodySchema, response: PeriodAnswerSchema },
  setPeriodDue: { params: PeriodParamsSchema, body: PeriodDueBodySchema, response: PeriodAnswerSchema },
  setCalendar: { params: CalendarParamsSchema, body: CalendarBodySchema, response: CalendarSchema },
  cycleTodo: { response: TodoAnswerSchema },
  closedPeriods: { query: ClosedQuerySchema, response: ClosedAnswerSchema },
  mailSettings: { response: MailSettingsAnswerSchema },
  setMailSettings: { body: MailSettingsSchema, response: MailSettingsAnswerSchema },
  mailMessages: { query: MailLogQuerySchema, response: MailLogSchema },
  retryMailMessage: { params: MailMessageParamsSchema, response: MailMessageSchema },
  testMail: { body: MailTestBodySchema, response: MailMessageSchema },
  openApi: { response: OpenApiDocumentSchema },
} as const satisfies { readonly [N in EndpointName]: EndpointSchemas };

export type EndpointSchemaTable = typeof endpointSchemas;

type Part<N extends EndpointName, K extends keyof EndpointSchemas> = EndpointSchemaTable[N] extends {
  readonly [P in K]: infer S extends z.ZodType;
}
  ? S
  : undefined;

/** What a handler returns and the client receives: the response schema's type (no schema: nothing to read). */
export type Answer<N extends EndpointName> = Part<N, 'response'> extends z.ZodType ? z.output<Part<N, 'response'>> : undefined;
/** What a handler may return: the response schema's input. */
export type AnswerInput<N extends EndpointName> = Part<N, 'response'> extends z.ZodType ? z.input<Part<N, 'response'>> : undefined;

/** What a client sends (the schemas' inputs) and what a handler receives (their outputs); unknown where the contract has no schema. */
export type Input<N extends EndpointName, K extends 'query' | 'body' | 'params'> = Part<N, K> extends z.ZodType
  ? z.input<Part<N, K>>
  : unknown;
export type Parsed<N extends EndpointName, K extends 'query' | 'body' | 'params'> = Part<N, K> extends z.ZodType
  ? z.output<Part<N, K>>
  : unknown;
/** Whether the contract says an endpoint's request part. */
export type Declared<N extends EndpointName, K extends keyof EndpointSchemas> = Part<N, K> extends z.ZodType ? true : false;
