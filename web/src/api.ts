import { authHeaders } from "./auth";

export class UnauthorizedError extends Error {
  constructor(path: string) {
    super(`${path} answered 401 Unauthorized`);
    this.name = "UnauthorizedError";
  }
}

/** GETs a JSON resource of the monitor with the stored token; 401 becomes an UnauthorizedError. */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(path, { headers: { Accept: "application/json", ...authHeaders() }, signal });
  if (response.status === 401) throw new UnauthorizedError(path);
  if (!response.ok) throw new Error(`${path} answered ${response.status}`);
  return (await response.json()) as T;
}
