import { createFixtureStore } from "@/server/engines/tts/fixture-store";
import { MODEL_MIRROR_DIR } from "@/test/mirror";
import { measureStreamLatency } from "./bench/stream-latency";

const P =
  "On March 3, 2024, Dr. Alvarez presented the results to a packed hall. The new method cut costs by 35% and saved roughly $1.2 million in its first year. Critics, however, pointed out that the sample was small; only 48 sites took part, and most were in cities. She answered every question patiently, noting that a second study, with 300 sites across 12 countries, would begin at 9:30 am the following Monday. By the end of the session, even the skeptics agreed the approach deserved a closer look.";
const fixture = createFixtureStore(MODEL_MIRROR_DIR);
const c = { model: "kokoro", voice: "af_heart", format: "pcm", input: "paragraph", text: P };
console.log(
  await measureStreamLatency({
    modelsDir: fixture.store.modelsDir ?? "",
    kokoroModel: (await import("node:path")).resolve("data/bench-models/kokoro-82m-random"),
    cases: [c, c, c],
  }),
);
fixture.cleanup();
