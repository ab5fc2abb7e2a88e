// Call transcriptions: a provider stores a call's transcript (Switchboard's store-transcription extension), clients
// read it as sentences or download it as text. With a transcriber configured, a call that has a recording but no
// transcript is transcribed on first read; without one, nothing is transcribed automatically.
import type { Store } from '../store/database.js';
import { findTranscription, upsertTranscription } from '../store/repositories/files.js';
import type { Transcriber, TranscriptSentence } from '../transcription/port.js';
import type { Clock } from './clock.js';
import { DomainError } from './errors.js';
import { CALL_TYPES, type RecordingService } from './recordings.js';

export type { TranscriptSentence };

export function transcriptionNotFound(): DomainError {
  return new DomainError('TRANSCRIPTION_NOT_FOUND', 'Transcription not found for this message', {
    canonicalCode: 'CONVERSATIONS_MSG_TRANSCRIPTION_NOT_FOUND',
  });
}

/** In reading order: by index, then channel (the two sides of a call may share an index). */
function inOrder(sentences: TranscriptSentence[]): TranscriptSentence[] {
  return [...sentences].sort((a, b) => a.sentenceIndex - b.sentenceIndex || a.mediaChannel - b.mediaChannel);
}

function checkTimes(sentences: TranscriptSentence[]): void {
  const problems = sentences.flatMap((sentence, index) =>
    sentence.endTime < sentence.startTime
      ? [`sentences.${index}.endTime must not be less than sentences.${index}.startTime`]
      : [],
  );
  if (problems.length > 0) throw new DomainError('VALIDATION_FAILED', problems);
}

export class TranscriptionService {
  constructor(
    private readonly deps: {
      store: Store;
      clock: Clock;
      recordings: RecordingService;
      transcriber: Transcriber | null;
    },
  ) {}

  async store(locationId: string, messageId: string, sentences: TranscriptSentence[]) {
    const { store, clock, recordings } = this.deps;
    const message = await recordings.callMessage(locationId, messageId);
    if (!CALL_TYPES.has(message.type)) {
      throw new DomainError('FORBIDDEN', 'Message type does not support transcriptions');
    }
    checkTimes(sentences);
    const now = clock.now();
    const row = {
      message_id: message.id,
      location_id: locationId,
      sentences: JSON.stringify(inOrder(sentences)),
      source: 'provider',
      date_added: now,
      date_updated: now,
    };
    await store.unit(({ db }) => upsertTranscription(db, row));
    return { success: true as const, messageId: message.id, sentences: sentences.length };
  }

  async sentences(locationId: string, messageId: string): Promise<TranscriptSentence[]> {
    const { store, clock, recordings, transcriber } = this.deps;
    const message = await recordings.callMessage(locationId, messageId);
    const stored = await findTranscription(store.db, locationId, message.id);
    if (stored) return JSON.parse(stored.sentences) as TranscriptSentence[];
    if (!transcriber || !CALL_TYPES.has(message.type) || !(await recordings.locate(message))) {
      throw transcriptionNotFound();
    }
    const recording = await recordings.open(locationId, message.id);
    if (recording.stream.status === 416) throw transcriptionNotFound();
    const sentences = inOrder(
      await transcriber.transcribe(
        { body: recording.stream.body, contentType: recording.contentType },
        { locationId, messageId: message.id },
      ),
    );
    const now = clock.now();
    await store.unit(({ db }) =>
      upsertTranscription(db, {
        message_id: message.id,
        location_id: locationId,
        sentences: JSON.stringify(sentences),
        source: 'transcriber',
        date_added: now,
        date_updated: now,
      }),
    );
    return sentences;
  }
}
