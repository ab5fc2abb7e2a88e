// An inline confirmation before an action that cannot be undone (emptying a location, revoking a token): the question,
// a danger button that acts and one that cancels. It takes the focus when it opens, so a screen reader reads the
// question and the next Tab reaches the buttons; cancelling (the button, or Escape) gives the focus back to the
// button that opened it.
import { type RefObject, useEffect, useId, useRef } from 'react';
import { flushSync } from 'react-dom';

interface Props {
  question: string;
  confirm: string;
  cancel: string;
  onConfirm: () => void;
  onCancel: () => void;
  pending?: boolean;
  /** The button that opened it, when cancelling renders it anew; else the element focused when it opened. */
  opener?: RefObject<HTMLElement | null>;
}

export function Confirm({ question, confirm, cancel, onConfirm, onCancel, pending = false, opener }: Props) {
  const questionId = useId();
  const dialog = useRef<HTMLDivElement>(null);
  const focusedBefore = useRef<HTMLElement | null>(null);
  useEffect(() => {
    focusedBefore.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.current?.focus();
  }, []);
  const cancelled = () => {
    // Rendered at once, so the opener is back in the page to take the focus.
    flushSync(onCancel);
    (opener?.current ?? focusedBefore.current)?.focus();
  };
  return (
    <div
      ref={dialog}
      className="confirm"
      role="alertdialog"
      aria-labelledby={questionId}
      tabIndex={-1}
      onKeyDown={(event) => {
        if (event.key === 'Escape') cancelled();
      }}
    >
      <p id={questionId}>
        <strong>{question}</strong>
      </p>
      <div className="button-row">
        <button type="button" className="danger" onClick={onConfirm} disabled={pending}>
          {confirm}
        </button>
        <button type="button" onClick={cancelled}>
          {cancel}
        </button>
      </div>
    </div>
  );
}
