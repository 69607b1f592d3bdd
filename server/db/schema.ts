import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import {
  type AuditAction,
  AUDIT_ACTIONS,
  type CompanyStake,
  COMPANY_STAKES,
  type FactKind,
  FACT_KINDS,
  type IncubationStage,
  INCUBATION_STAGES,
  type ReportingFrequency,
  type ReportingStep,
  type Role,
  type TalentLevel,
  TALENT_LEVELS,
  type TransferMode,
  TRANSFER_MODES,
} from '../../contract/enums.js';
import type { MailKind, MailLang, MailState } from '../../contract/enums.js';
import type { MailAttachmentSpec } from '../../contract/schemas/mail.js';

/** The fact tables in an order that deletes a row before any it references: payments before their contracts. */
export const FACT_KINDS_DEPENDENTS_FIRST: readonly FactKind[] = ['payment', ...FACT_KINDS.filter((k) => k !== 'payment')];

export {
  type AuditAction,
  AUDIT_ACTIONS,
  type CompanyStake,
  COMPANY_STAKES,
  type FactKind,
  FACT_KINDS,
  type IncubationStage,
  INCUBATION_STAGES,
  type Role,
  type TalentLevel,
  TALENT_LEVELS,
  type TransferMode,
  TRANSFER_MODES,
};

/** An ISO calendar date, `YYYY-MM-DD`: PostgreSQL `date` arrives as this string, never as a `Date`. */
export type IsoDate = string;

/** Set by the database on insert; may be given on update. */
type CreatedAt = ColumnType<Date, Date | string | undefined, Date | string>;

export interface RegionTable {
  code: string;
  name_en: string;
  name_zh: string;
  position: Generated<number>;
}

export interface UniversityTable {
  code: string;
  name_en: string;
  name_zh: string;
  region_code: string;
  member_since: IsoDate;
  is_lead: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface FieldTable {
  code: string;
  name_en: string;
  name_zh: string;
}

export interface AppUserTable {
  id: Generated<number>;
  email: string;
  name: string;
  password_hash: string;
  role: Role;
  university_code: string | null;
  disabled: Generated<boolean>;
  /** Made for the demo (sql/0013): its password is published; leaving demo mode removes it. */
  demo: Generated<boolean>;
  lang: 'zh' | 'en' | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface SessionTable {
  /** SHA-256 (hex) of the token in the cookie. */
  id: string;
  user_id: number;
  csrf_token: string;
  created_at: CreatedAt;
  last_seen: CreatedAt;
  expires_at: Date | string;
  address: string | null;
}

/** The columns every fact table shares. */
interface FactColumns {
  id: Generated<number>;
  university_code: string;
  ref: string;
  created_at: CreatedAt;
  updated_at: CreatedAt;
  created_by: number | null;
  updated_by: number | null;
}

export interface TechTransferTable extends FactColumns {
  mode: TransferMode;
  partner_name: string;
  partner_region_code: string;
  co_university_code: string | null;
  field_code: string;
  signed_on: IsoDate;
  contract_value_cny: number;
  /**
   * Cash received to date: the sum of the contract's payments, kept by the database (sql/0016);
   * a write of its own is ignored.
   */
  received_cny: Generated<number>;
  patents: number;
  /** Rewards to individuals (sql/0017): cash and equity in yuan, people rewarded, and the day granted. */
  reward_cash_cny: Generated<number>;
  reward_equity_cny: Generated<number>;
  rewarded_people: Generated<number>;
  rewarded_on: IsoDate | null;
}

/**
 * One receipt of cash on a technology contract (sql/0016): the contract is named by its
 * university and ref. The database refuses payments that would sum above the contract value,
 * and one dated before the contract was signed.
 */
export interface PaymentTable extends FactColumns {
  contract_ref: string;
  received_on: IsoDate;
  amount_cny: number;
}

export interface IncubationTable extends FactColumns {
  name: string;
  field_code: string;
  stage: IncubationStage;
  entered_on: IsoDate;
  graduated_on: IsoDate | null;
  /** The day a closed project left the incubator: set exactly when the stage is closed (sql/0015). */
  closed_on: IsoDate | null;
  funding_cny: number;
  jobs: number;
  partner_university_code: string | null;
  /** The company the project registered (sql/0018): its registration day, and the university's stake; both or neither. */
  company_registered_on: IsoDate | null;
  company_stake: CompanyStake | null;
}

/** How the university is in a company: it founded it (创设) or holds shares in it (参股). */

/**
 * A snapshot of a university's technology-transfer organisation on a day (sql/0018): a stock, read
 * as each university's last snapshot on or before a day. One per university and day.
 */
export interface CapacityTable extends FactColumns {
  snapshot_on: IsoDate;
  transfer_offices: number;
  staff: number;
  tech_managers: number;
  co_built: number;
}

export interface TalentTable extends FactColumns {
  partner_university_code: string | null;
  level: TalentLevel;
  program: string;
  started_on: IsoDate;
  /** The day the cohort completed; null while it runs (sql/0015). Graduates are counted on it. */
  completed_on: IsoDate | null;
  trainees: number;
  graduates: number;
}

export interface CreditTable extends FactColumns {
  host_university_code: string;
  course: string;
  term: string;
  recognized_on: IsoDate;
  students: number;
  credits: number;
}

export interface TargetTable {
  id: Generated<number>;
  measure: string;
  year: number;
  university_code: string | null;
  value: number;
  updated_at: CreatedAt;
  updated_by: number | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: CreatedAt;
  user_id: number | null;
  user_email: string | null;
  address: string | null;
  action: AuditAction;
  subject: string;
  before: unknown;
  after: unknown;
  detail: unknown;
}

export interface ImportBatchTable {
  id: Generated<number>;
  kind: FactKind;
  file_name: string | null;
  sha256: string;
  status: 'applied' | 'rejected' | 'dry_run';
  row_count: Generated<number>;
  inserted: Generated<number>;
  updated: Generated<number>;
  unchanged: Generated<number>;
  error_count: Generated<number>;
  user_id: number | null;
  created_at: CreatedAt;
}

/** A commission report as submitted: frozen (sql/0009 refuses UPDATE and DELETE). */
export interface ReportSubmissionTable {
  id: Generated<number>;
  period: string;
  period_from: IsoDate;
  period_to: IsoDate;
  lang: 'zh' | 'en';
  /** The report's canonical JSON, exactly as hashed. */
  document: string;
  sha256: string;
  data_version: number;
  submitted_by: number | null;
  submitted_by_email: string;
  submitted_by_name: string;
  submitted_at: CreatedAt;
  note: string | null;
}

export interface ReportingCalendarTable {
  university_code: string;
  frequency: ColumnType<ReportingFrequency, ReportingFrequency | undefined, ReportingFrequency>;
  due_days: ColumnType<number, number | undefined, number>;
  updated_at: CreatedAt;
  updated_by: number | null;
}

export interface ReportingPeriodTable {
  id: Generated<number>;
  university_code: string;
  period: string;
  period_from: IsoDate;
  period_to: IsoDate;
  due_on: IsoDate | null;
}

export interface ReportingStepTable {
  id: Generated<number>;
  period_id: number;
  action: ReportingStep;
  at: CreatedAt;
  user_id: number | null;
  user_email: string | null;
  user_name: string | null;
  comment: string | null;
  summary: unknown;
  sha256: string | null;
}

/** The view `reporting_period_state`: a period with its last step and last submission. */
export interface ReportingPeriodStateView {
  id: number;
  university_code: string;
  period: string;
  period_from: IsoDate;
  period_to: IsoDate;
  due_on: IsoDate | null;
  last_action: ReportingStep | null;
  last_at: Date | null;
  last_comment: string | null;
  last_sha256: string | null;
  submitted_sha256: string | null;
  submitted_at: Date | null;
}

export interface AppSettingTable {
  key: string;
  value: unknown;
  updated_at: CreatedAt;
}

/** `mail_outbox` (sql/0020): a message to send, being sent, sent, or given up on. */
export interface MailOutboxTable {
  id: Generated<number>;
  message_id: string;
  kind: MailKind;
  dedupe_key: string | null;
  recipients: string[];
  lang: MailLang;
  subject: string;
  body_text: string;
  body_html: string | null;
  attachments: ColumnType<MailAttachmentSpec | null, string | null, string | null>;
  state: Generated<MailState>;
  attempts: Generated<number>;
  next_attempt_at: ColumnType<Date, Date | string | undefined, Date | string>;
  lease_until: Date | null;
  last_error: string | null;
  note: string | null;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  sent_at: Date | null;
}

export interface Database {
  region: RegionTable;
  university: UniversityTable;
  field: FieldTable;
  app_user: AppUserTable;
  session: SessionTable;
  tech_transfer: TechTransferTable;
  incubation: IncubationTable;
  talent: TalentTable;
  credit: CreditTable;
  payment: PaymentTable;
  capacity: CapacityTable;
  target: TargetTable;
  audit_log: AuditLogTable;
  import_batch: ImportBatchTable;
  app_setting: AppSettingTable;
  report_submission: ReportSubmissionTable;
  reporting_calendar: ReportingCalendarTable;
  reporting_period: ReportingPeriodTable;
  reporting_step: ReportingStepTable;
  reporting_period_state: ReportingPeriodStateView;
  mail_outbox: MailOutboxTable;
}

export type RegionRow = Selectable<RegionTable>;
export type UniversityRow = Selectable<UniversityTable>;
export type NewUniversity = Insertable<UniversityTable>;
export type UniversityUpdate = Updateable<UniversityTable>;
export type FieldRow = Selectable<FieldTable>;
export type AppUserRow = Selectable<AppUserTable>;
export type MailOutboxRow = Selectable<MailOutboxTable>;
export type NewAppUser = Insertable<AppUserTable>;
export type SessionRow = Selectable<SessionTable>;
export type TechTransferRow = Selectable<TechTransferTable>;
export type NewTechTransfer = Insertable<TechTransferTable>;
export type IncubationRow = Selectable<IncubationTable>;
export type NewIncubation = Insertable<IncubationTable>;
export type TalentRow = Selectable<TalentTable>;
export type NewTalent = Insertable<TalentTable>;
export type CreditRow = Selectable<CreditTable>;
export type NewCredit = Insertable<CreditTable>;
export type CapacityRow = Selectable<CapacityTable>;
export type NewCapacity = Insertable<CapacityTable>;
export type PaymentRow = Selectable<PaymentTable>;
export type NewPayment = Insertable<PaymentTable>;
export type TargetRow = Selectable<TargetTable>;
export type NewTarget = Insertable<TargetTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
export type NewAuditLog = Insertable<AuditLogTable>;
export type ImportBatchRow = Selectable<ImportBatchTable>;
export type ReportSubmissionRow = Selectable<ReportSubmissionTable>;
