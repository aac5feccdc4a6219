// Runs fal's official JavaScript client, unmodified, against a Cassette local engine.
// Needs CASSETTE_ENGINE_URL (the engine's base address) and FAL_KEY (its key); tests/Pester/OfficialClient.Tests.ps1
// starts an engine and runs this with `node --test`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiError, ValidationError, createFalClient } from "@fal-ai/client";

const engineUrl = new URL(process.env.CASSETTE_ENGINE_URL ?? assert.fail("CASSETTE_ENGINE_URL is not set"));
const falQueue = "https://queue.fal.run/";
const model = "CassetteAI/music-generator";

// The client always targets queue.fal.run; the middleware points every call at the engine instead.
const fal = createFalClient({
  credentials: process.env.FAL_KEY,
  requestMiddleware: async (request) => {
    assert.ok(request.url.startsWith(falQueue), `unexpected target ${request.url}`);
    return { ...request, url: new URL(request.url.slice(falQueue.length), engineUrl).href };
  },
});

/** Reads a RIFF/WAVE header and checks it describes 44.1 kHz, 16-bit stereo audio of `seconds` seconds. */
async function assertWav(url, seconds) {
  const response = await fetch(url);
  assert.equal(response.status, 200);
  const bytes = Buffer.from(await response.arrayBuffer());
  assert.equal(bytes.toString("ascii", 0, 4), "RIFF");
  assert.equal(bytes.toString("ascii", 8, 12), "WAVE");
  assert.equal(bytes.toString("ascii", 12, 16), "fmt ");
  const channels = bytes.readUInt16LE(22);
  const sampleRate = bytes.readUInt32LE(24);
  const bitsPerSample = bytes.readUInt16LE(34);
  assert.deepEqual({ channels, sampleRate, bitsPerSample }, { channels: 2, sampleRate: 44100, bitsPerSample: 16 });
  assert.equal(bytes.toString("ascii", 36, 40), "data");
  const dataBytes = bytes.readUInt32LE(40);
  assert.equal(dataBytes / (sampleRate * channels * (bitsPerSample / 8)), seconds);
  assert.equal(bytes.length, 44 + dataBytes);
}

function assertAudioFile(data, seconds) {
  const file = data.audio_file;
  assert.equal(file.content_type, "audio/wav");
  assert.equal(file.file_size, 44 + seconds * 44100 * 4);
  assert.ok(file.url.startsWith(engineUrl.href), `file url ${file.url} is not on the engine`);
  return file;
}

test("subscribe in polling mode returns the result and its request id", async () => {
  const updates = [];
  const result = await fal.subscribe(model, {
    input: { prompt: "Smooth chill hip-hop beat, Key: D Minor, Tempo: 90 BPM", duration: 10 },
    logs: true,
    pollInterval: 100,
    onQueueUpdate: (update) => updates.push(update),
  });
  assert.match(result.requestId, /^[0-9a-f-]{36}$/);
  await assertWav(assertAudioFile(result.data, 10).url, 10);
  assert.equal(updates.at(-1).status, "COMPLETED");
  assert.ok(updates.every((u) => ["IN_QUEUE", "IN_PROGRESS", "COMPLETED"].includes(u.status)));
});

test("subscribe in streaming mode follows the SSE status stream to the result", async () => {
  const updates = [];
  const result = await fal.subscribe(model, {
    input: { prompt: "ambient pads", duration: 12 },
    mode: "streaming",
    logs: true,
    onQueueUpdate: (update) => updates.push(update),
  });
  await assertWav(assertAudioFile(result.data, 12).url, 12);
  assert.equal(updates.at(-1).status, "COMPLETED");
  assert.ok(Array.isArray(updates.at(-1).logs));
});

test("a lower-case model id works", async () => {
  const result = await fal.subscribe("cassetteai/music-generator", { input: { prompt: "lo-fi", duration: 10 }, pollInterval: 100 });
  await assertWav(assertAudioFile(result.data, 10).url, 10);
});

test("queue.submit, status and result, with the priority and start timeout headers the client sends", async () => {
  const submitted = await fal.queue.submit(model, { input: { prompt: "jazz", duration: 11 }, priority: "low", startTimeout: 120 });
  assert.equal(submitted.status, "IN_QUEUE");
  let status;
  do {
    await new Promise((resolve) => setTimeout(resolve, 100));
    status = await fal.queue.status(model, { requestId: submitted.request_id, logs: true });
    assert.ok(["IN_QUEUE", "IN_PROGRESS", "COMPLETED"].includes(status.status));
  } while (status.status !== "COMPLETED");
  assert.equal(typeof status.metrics.inference_time, "number");
  const result = await fal.queue.result(model, { requestId: submitted.request_id });
  assert.equal(result.requestId, submitted.request_id);
  await assertWav(assertAudioFile(result.data, 11).url, 11);
});

test("queue.cancel stops a request; status then reads COMPLETED and the result is a 499 ApiError", async () => {
  const submitted = await fal.queue.submit(model, { input: { prompt: "a long suite", duration: 180 } });
  await fal.queue.cancel(model, { requestId: submitted.request_id });
  let status;
  do {
    status = await fal.queue.status(model, { requestId: submitted.request_id });
  } while (status.status !== "COMPLETED");
  assert.equal(status.error_type, "client_cancelled");
  await assert.rejects(fal.queue.result(model, { requestId: submitted.request_id }), (error) => {
    assert.ok(error instanceof ApiError);
    assert.equal(error.status, 499);
    assert.equal(error.body.error_type, "client_cancelled");
    return true;
  });
});

test("an out-of-range duration surfaces as the client's ValidationError with field errors", async () => {
  await assert.rejects(fal.queue.submit(model, { input: { prompt: "x", duration: 181 } }), (error) => {
    assert.ok(error instanceof ValidationError, `expected ValidationError, got ${error?.name}`);
    assert.equal(error.status, 422);
    const [problem] = error.getFieldErrors("duration");
    assert.equal(problem.type, "less_than_equal");
    assert.deepEqual(problem.loc, ["body", "duration"]);
    return true;
  });
});

test("a wrong key is an ApiError with status 401", async () => {
  const stranger = createFalClient({
    credentials: "wrong:key",
    requestMiddleware: async (request) => ({ ...request, url: new URL(request.url.slice(falQueue.length), engineUrl).href }),
  });
  await assert.rejects(stranger.queue.submit(model, { input: { prompt: "x", duration: 10 } }), (error) => {
    assert.ok(error instanceof ApiError);
    assert.equal(error.status, 401);
    return true;
  });
});
