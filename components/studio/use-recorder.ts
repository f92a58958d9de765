"use client";
/**
 * Records from the microphone with MediaRecorder (WebM/Opus where the browser offers it) while an
 * AnalyserNode feeds a level meter. A deadline stops the recording at the person's limit, a
 * little early so the file's decoded duration is never over it.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { levelFromSamples } from "@/lib/audio/level";
import { MICROPHONE_MESSAGES, microphoneMessage } from "./microphone-errors";

/** Containers in order of preference; the first the browser records is used. */
const PREFERRED_TYPES = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/webm", "audio/mp4"];
/** How often the meter and the timer refresh. */
const METER_INTERVAL_MS = 100;
/** The recorder stops this much before the limit: timers run late and containers add a frame. */
const STOP_MARGIN_MS = 500;
/** MediaRecorder hands over data this often, so a crash loses at most this much. */
const TIMESLICE_MS = 1000;

export type RecorderState =
  | { phase: "idle" }
  | { phase: "starting" }
  | { phase: "recording"; seconds: number; level: number }
  | { phase: "error"; message: string };

interface Session {
  stream: MediaStream;
  recorder: MediaRecorder;
  context: AudioContext;
  timers: number[];
  keep: boolean;
}

function extensionFor(type: string): string {
  if (type.includes("ogg")) return "ogg";
  if (type.includes("mp4")) return "m4a";
  return "webm";
}

export function useRecorder({
  maxSeconds,
  onRecorded,
}: {
  maxSeconds: number;
  onRecorded: (file: File) => void;
}) {
  const [state, setState] = useState<RecorderState>({ phase: "idle" });
  const session = useRef<Session | null>(null);
  const recorded = useRef(onRecorded);
  recorded.current = onRecorded;

  const end = useCallback((keep: boolean) => {
    const current = session.current;
    if (!current) return;
    current.keep = keep;
    for (const timer of current.timers) window.clearInterval(timer);
    // onstop hands over the file (or not), then releases the microphone.
    if (current.recorder.state !== "inactive") current.recorder.stop();
  }, []);

  const start = useCallback(async () => {
    if (session.current) return;
    if (!navigator.mediaDevices?.getUserMedia || typeof MediaRecorder === "undefined") {
      return setState({ phase: "error", message: MICROPHONE_MESSAGES.unsupported });
    }
    setState({ phase: "starting" });
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (error) {
      return setState({ phase: "error", message: microphoneMessage(error) });
    }
    const mimeType = PREFERRED_TYPES.find((type) => MediaRecorder.isTypeSupported(type));
    const recorder = new MediaRecorder(stream, mimeType ? { mimeType } : undefined);
    const context = new AudioContext();
    // Made after an await, it may start suspended under autoplay rules; the meter needs it running.
    void context.resume();
    const analyser = context.createAnalyser();
    analyser.fftSize = 2048;
    context.createMediaStreamSource(stream).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    const chunks: Blob[] = [];
    const current: Session = { stream, recorder, context, timers: [], keep: true };
    session.current = current;

    recorder.ondataavailable = (event) => {
      if (event.data.size > 0) chunks.push(event.data);
    };
    recorder.onerror = () => {
      current.keep = false;
      setState({ phase: "error", message: MICROPHONE_MESSAGES.failed });
      end(false);
    };
    recorder.onstop = () => {
      for (const track of stream.getTracks()) track.stop();
      void context.close();
      session.current = null;
      setState((state) => (state.phase === "error" ? state : { phase: "idle" }));
      if (!current.keep || chunks.length === 0) return;
      const type = recorder.mimeType || mimeType || "audio/webm";
      recorded.current(new File(chunks, `recording.${extensionFor(type)}`, { type }));
    };

    const startedAt = performance.now();
    recorder.start(TIMESLICE_MS);
    setState({ phase: "recording", seconds: 0, level: 0 });
    current.timers.push(
      window.setInterval(() => {
        analyser.getFloatTimeDomainData(samples);
        setState({
          phase: "recording",
          seconds: (performance.now() - startedAt) / 1000,
          level: levelFromSamples(samples),
        });
      }, METER_INTERVAL_MS),
      window.setTimeout(() => end(true), maxSeconds * 1000 - STOP_MARGIN_MS),
    );
  }, [end, maxSeconds]);

  // Leaving the page mid-recording releases the microphone and keeps nothing.
  useEffect(() => () => end(false), [end]);

  return { state, start, stop: () => end(true), discard: () => end(false) };
}
