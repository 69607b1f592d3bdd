/**
 * The enumerations the API, the database, the files and the client share, written once.
 * Nothing here imports from the server or the client: both import from here.
 */

/** Who a user is to the alliance; each route and view names the roles it serves. */
export const ROLES = ['admin', 'leadership', 'steward', 'commission'] as const;
export type Role = (typeof ROLES)[number];

export const TRANSFER_MODES = ['transfer', 'license', 'equity', 'development', 'consulting', 'service'] as const;
export type TransferMode = (typeof TRANSFER_MODES)[number];

export const INCUBATION_STAGES = ['incubating', 'graduated', 'closed'] as const;
export type IncubationStage = (typeof INCUBATION_STAGES)[number];

export const COMPANY_STAKES = ['founded', 'shareholder'] as const;
export type CompanyStake = (typeof COMPANY_STAKES)[number];

export const TALENT_LEVELS = ['undergraduate', 'master', 'doctoral', 'tech_manager', 'other'] as const;
export type TalentLevel = (typeof TALENT_LEVELS)[number];

export const AUDIT_ACTIONS = [
  'login',
  'login_failed',
  'logout',
  'create',
  'update',
  'delete',
  'import',
  'export',
  'user_change',
  'target_change',
  'university_change',
  'report_submit',
  'period_submit',
  'period_approve',
  'period_return',
  'period_reopen',
  'calendar_change',
  'mail_settings_change',
  'mail_message',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const FACT_KINDS = ['tech_transfer', 'payment', 'incubation', 'talent', 'credit', 'capacity'] as const;
export type FactKind = (typeof FACT_KINDS)[number];

/** How often a university reports: its periods are months, quarters (the default) or years. */
export const REPORTING_FREQUENCIES = ['month', 'quarter', 'year'] as const;
export type ReportingFrequency = (typeof REPORTING_FREQUENCIES)[number];

/** The steps of the reporting cycle, as its history stores them. */
export const REPORTING_STEPS = ['submit', 'approve', 'return', 'reopen'] as const;
export type ReportingStep = (typeof REPORTING_STEPS)[number];

/** A period's status, derived from its last step, its records and its due date. */
export const PERIOD_STATUSES = ['not_started', 'in_progress', 'submitted', 'returned', 'approved', 'reopened'] as const;
export type PeriodStatus = (typeof PERIOD_STATUSES)[number];

/** What a message is about: a reminder before a due date, a late period, a submission to review, a return, the commission report, a test. */
export const MAIL_KINDS = ['due_soon', 'late', 'submitted', 'returned', 'report', 'test'] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

/** A message's state in the outbox (sql/0020_mail_outbox.sql). */
export const MAIL_STATES = ['pending', 'sending', 'sent', 'failed'] as const;
export type MailState = (typeof MAIL_STATES)[number];

/** The recipients' language; `both` (Chinese, then English) when it is not known. */
export const MAIL_LANGS = ['zh', 'en', 'both'] as const;
export type MailLang = (typeof MAIL_LANGS)[number];

/** How often the commission report goes to its list on its own, beside each submission. */
export const REPORT_SCHEDULES = ['off', 'monthly', 'quarterly'] as const;
export type ReportSchedule = (typeof REPORT_SCHEDULES)[number];

/** The tables of the report, as its status names them. */
export const REPORT_STATUS_TABLES = [
  'summary',
  'comparisons',
  'attainmentByUniversity',
  'techTransfer',
  'incubation',
  'talent',
  'credits',
  'national',
] as const;
export type ReportStatusTable = (typeof REPORT_STATUS_TABLES)[number];
