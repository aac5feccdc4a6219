#!/usr/bin/env node
// Usage: node key.js FILE.wav
// Prints "<tonic> <major|minor> <strength>" as essentia.js's KeyExtractor hears the file, with the 'bgate'
// profile and 4096-sample frames: an analyser nobody on this project wrote, so it can judge our synthesizer.
'use strict';
const fs = require('fs');
const { EssentiaWASM, Essentia } = require('essentia.js');

// Reads a 16-bit PCM WAV and returns its channels summed to mono, as 32-bit floats in -1..1.
function readMonoWav(path) {
  const bytes = fs.readFileSync(path);
  if (bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') throw new Error(`${path} is not a WAV file`);
  let channels = 0, bits = 0, rate = 0, offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      channels = bytes.readUInt16LE(body + 2);
      rate = bytes.readUInt32LE(body + 4);
      bits = bytes.readUInt16LE(body + 14);
    } else if (id === 'data') {
      if (bits !== 16) throw new Error(`${path}: ${bits}-bit samples; only 16-bit PCM is read`);
      const frames = Math.floor(size / (2 * channels));
      const mono = new Float32Array(frames);
      for (let i = 0; i < frames; i++) {
        let sum = 0;
        for (let c = 0; c < channels; c++) sum += bytes.readInt16LE(body + 2 * (i * channels + c));
        mono[i] = sum / (32768 * channels);
      }
      return { mono, rate };
    }
    offset = body + size + (size % 2);
  }
  throw new Error(`${path} has no data chunk`);
}

const file = process.argv[2];
if (!file) {
  console.error('usage: node key.js FILE.wav');
  process.exit(2);
}
const { mono, rate } = readMonoWav(file);
const essentia = new Essentia(EssentiaWASM);
const signal = essentia.arrayToVector(mono);
// averageDetuningCorrection, frameSize, hopSize, hpcpSize, maxFrequency, maximumSpectralPeaks, minFrequency,
// pcpThreshold, profileType, sampleRate, spectralPeaksThreshold, tuningFrequency, weightType, windowType
const result = essentia.KeyExtractor(signal, true, 4096, 4096, 12, 3500, 60, 25, 0.2, 'bgate', rate, 0.0001, 440, 'cosine', 'hann');
console.log(`${result.key} ${result.scale} ${result.strength.toFixed(2)}`);
