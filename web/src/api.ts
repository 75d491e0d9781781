import { authHeaders, getToken } from "./auth";

export class UnauthorizedError extends Error {
  /** The token the refused request carried (the stored one may have changed since). */
  readonly usedToken: string | undefined;

  constructor(path: string, usedToken: string | undefined) {
    super(`${path} answered 401 Unauthorized`);
    this.name = "UnauthorizedError";
    this.usedToken = usedToken;
  }
}

/** GETs a JSON resource of the monitor with the stored token; 401 becomes an UnauthorizedError. */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const token = getToken();
  const response = await fetch(path, { headers: { Accept: "application/json", ...authHeaders() }, signal });
  if (response.status === 401) throw new UnauthorizedError(path, token);
  if (!response.ok) throw new Error(`${path} answered ${response.status}`);
  return (await response.json()) as T;
}
