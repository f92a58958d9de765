/** Messages between a process and its MP3 thread (mp3-thread.ts); both ends are Parla's code. */
export type Mp3ThreadRequest =
  | { type: "open"; id: number; sampleRate: number }
  | { type: "add"; id: number; samples: Float32Array }
  | { type: "finish"; id: number }
  | { type: "release"; id: number }
  /** How many LAME encoders the thread holds open (leak tests). */
  | { type: "count"; id: number };

export type Mp3ThreadReply =
  | { type: "done"; id: number; bytes: Uint8Array }
  | { type: "failed"; id: number; message: string }
  | { type: "count"; id: number; inUse: number };
