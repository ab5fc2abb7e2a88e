// Transcripts on the wire: the sentences array (docs/behaviour.md#transcript-shape) and the downloadable text file.
import type { TranscriptSentence } from '../domain/transcriptions.js';

export function presentSentence(sentence: TranscriptSentence) {
  return {
    mediaChannel: sentence.mediaChannel,
    sentenceIndex: sentence.sentenceIndex,
    startTime: sentence.startTime,
    endTime: sentence.endTime,
    transcript: sentence.transcript,
    confidence: sentence.confidence,
    ...(sentence.speaker !== undefined ? { speaker: sentence.speaker } : {}),
    ...(sentence.words !== undefined ? { words: sentence.words } : {}),
  };
}

/** Seconds as HH:MM:SS.mmm. */
function timestamp(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const secs = Math.floor((ms % 60_000) / 1000);
  return `${pad(hours)}:${pad(minutes)}:${pad(secs)}.${pad(ms % 1000, 3)}`;
}

/** One line per sentence: `[start - end] Speaker: text`, the speaker named by the provider or by channel. */
export function transcriptText(sentences: TranscriptSentence[]): string {
  return sentences
    .map((sentence) => {
      const speaker = sentence.speaker?.trim() || `Channel ${sentence.mediaChannel}`;
      const text = sentence.transcript.replace(/\s*[\r\n]+\s*/g, ' ').trim();
      return `[${timestamp(sentence.startTime)} - ${timestamp(sentence.endTime)}] ${speaker}: ${text}\n`;
    })
    .join('');
}
