/** The message to show for a refused API call: the first named field's problem, else the error's own. */
export async function errorMessage(response: Response): Promise<string> {
  const body = (await response.json().catch(() => null)) as {
    error?: { message?: string; issues?: { path: string; message: string }[] };
  } | null;
  const issue = body?.error?.issues?.[0];
  if (issue) return `${issue.path}: ${issue.message}`;
  return body?.error?.message ?? `The request failed (${response.status})`;
}
