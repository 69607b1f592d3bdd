/** Typed wrappers over the API: each returns plain data or throws an ApiError with the problem's detail. */

export interface University {
  code: string;
  nameEn: string;
  nameZh: string;
  region: string;
  memberSince: string;
  lead: boolean;
}

export interface NamedCode {
  code: string;
  nameEn: string;
  nameZh: string;
}

export interface Meta {
  universities: University[];
  regions: NamedCode[];
  fields: NamedCode[];
  dateRange: { from: string | null; to: string | null };
  dataset: { synthetic: boolean };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly problem?: {
      title?: string;
      detail?: string;
      errors?: Array<{ path?: string; line?: number; column?: string; message: string }>;
    },
  ) {
    super(message);
  }
}

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(`/api/v1${path}`, { headers: { Accept: 'application/json' }, credentials: 'same-origin', signal });
  if (!response.ok) {
    const problem = await response.json().catch(() => undefined);
    throw new ApiError(response.status, problem?.detail ?? `${response.status} ${response.statusText}`, problem);
  }
  return (await response.json()) as T;
}

export const api = {
  meta: (signal?: AbortSignal) => getJson<Meta>('/meta', signal),
};
