/** A member university as the API gives it (in /meta and /universities), and as the client reads it. */
export interface University {
  code: string;
  nameEn: string;
  nameZh: string;
  region: string;
  memberSince: string;
  lead: boolean;
}
