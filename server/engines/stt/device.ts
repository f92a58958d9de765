/**
 * Execution-provider preference for Whisper: CUDA, then WebGPU, then the CPU. Each is tried by
 * actually creating the sessions (the only reliable test: onnxruntime-node lists CUDA and WebGPU
 * as "supported" on machines that have neither driver), and the engine reports which one won
 * and why the others were passed over.
 */
import { z } from "zod";

export const STT_DEVICES = ["cuda", "webgpu", "cpu"] as const;
export const sttDeviceSchema = z.enum(STT_DEVICES);
export type SttDevice = z.infer<typeof sttDeviceSchema>;

export interface DeviceAttempt {
  device: SttDevice;
  /** The first line of the load error, for logs and health; never shown to end users. */
  error: string;
}

export interface DeviceChoice<T> {
  value: T;
  device: SttDevice;
  skipped: DeviceAttempt[];
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split("\n")[0] ?? "").slice(0, 300);
}

/** Loads on the first device of `preference` that works; throws with every reason when none does. */
export async function onFirstWorkingDevice<T>(
  preference: readonly SttDevice[],
  load: (device: SttDevice) => Promise<T>,
): Promise<DeviceChoice<T>> {
  const skipped: DeviceAttempt[] = [];
  for (const device of preference) {
    try {
      return { value: await load(device), device, skipped };
    } catch (error) {
      skipped.push({ device, error: firstLine(error) });
    }
  }
  throw new Error(
    `No execution provider could load the model: ${skipped.map((s) => `${s.device}: ${s.error}`).join("; ")}`,
  );
}
