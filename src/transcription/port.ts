// The transcriber port: a speech-to-text engine that turns a call recording into sentences. None is built in:
// transcripts come from providers through the store-transcription extension, and an engine (Whisper, a cloud
// API, ...) plugs in here, chosen in createTranscriber, to transcribe recordings that have none on demand.
import type { Readable } from 'node:stream';
import type { Config } from '../config.js';

/** One sentence of a transcript; times are seconds from the start of the recording (docs/behaviour.md#timestamps). */
export interface TranscriptSentence {
  mediaChannel: number;
  sentenceIndex: number;
  startTime: number;
  endTime: number;
  transcript: string;
  confidence: number;
  speaker?: string;
  words?: { word: string; startTime: number; endTime: number; confidence?: number }[];
}

export interface Recording {
  body: Readable;
  /** The recording's own content type (its URL answers audio/x-wav whatever it is). */
  contentType: string;
}

export interface Transcriber {
  /** The recording's sentences, in order. */
  transcribe(recording: Recording, context: { locationId: string; messageId: string }): Promise<TranscriptSentence[]>;
}

/** The configured engine, or null: without one, nothing is transcribed automatically. */
export function createTranscriber(_config: Config): Transcriber | null {
  return null;
}
