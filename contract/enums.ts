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
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const FACT_KINDS = ['tech_transfer', 'payment', 'incubation', 'talent', 'credit', 'capacity'] as const;
export type FactKind = (typeof FACT_KINDS)[number];
