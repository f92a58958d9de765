// The MP3 thread's entry: registers tsx's loader in the thread first, since Node 20 does not
// carry --import loaders into worker threads, then loads the TypeScript module.
import { register } from "tsx/esm/api";

register();
await import("./mp3-thread-main.ts");
