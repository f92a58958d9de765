/** The whole body of a streamed response, and when its first bytes came (for "before the job ended"). */
export async function readTimed(response: Response): Promise<{ bytes: Buffer; firstAt: number }> {
  const reader = response.body?.getReader();
  if (!reader) throw new Error("no body");
  const parts: Uint8Array[] = [];
  let firstAt = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    firstAt ||= Date.now();
    parts.push(read.value);
  }
  return { bytes: Buffer.concat(parts), firstAt };
}
