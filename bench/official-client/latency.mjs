// Completion latency of fal's official JavaScript client against a Cassette local engine: the time from the
// engine marking a request COMPLETED (metrics.completed_at) to `subscribe` handing the result to the caller.
// Usage: node latency.mjs <engine url> <key> <mode: polling|streaming> <durations, comma-separated> <rounds>
// Prints one JSON object: {"mode": ..., "latenciesMs": [...]}.
import { createFalClient } from "@fal-ai/client";

const [engineUrl, key, mode, durationList, roundsText] = process.argv.slice(2);
const falQueue = "https://queue.fal.run/";
const model = "CassetteAI/music-generator";
const durations = durationList.split(",").map(Number);
const rounds = Number(roundsText);

// The client always targets queue.fal.run; the middleware points it at the engine, nothing else changes.
const fal = createFalClient({
  credentials: key,
  requestMiddleware: async (request) => ({ ...request, url: new URL(request.url.slice(falQueue.length), engineUrl).href }),
});

/** Milliseconds since the epoch with sub-millisecond precision, to compare with the engine's clock. */
const nowMs = () => performance.timeOrigin + performance.now();

/** completed_at carries seven decimals; Date.parse keeps three, so add the rest back. */
function parseCompletedAt(text) {
  const match = /^(.*\.\d{3})(\d*)Z$/.exec(text);
  return Date.parse(match[1] + "Z") + (match[2] ? Number("0." + match[2]) : 0);
}

async function completedAt(requestId) {
  const response = await fetch(new URL(`${model}/requests/${requestId}/status`, engineUrl), {
    headers: { Authorization: `Key ${key}` },
  });
  return parseCompletedAt((await response.json()).metrics.completed_at);
}

async function once(duration, index) {
  // Default options apart from the mode: the default polling interval is what users get.
  const result = await fal.subscribe(model, { input: { prompt: `latency ${mode} ${index}`, duration }, mode });
  const received = nowMs();
  return received - (await completedAt(result.requestId));
}

await once(durations[0], -1); // warm-up: connections, JIT
const latenciesMs = [];
for (let round = 0; round < rounds; round++) {
  for (const duration of durations) latenciesMs.push(await once(duration, latenciesMs.length));
}
console.log(JSON.stringify({ mode, latenciesMs }));
