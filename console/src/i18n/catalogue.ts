// A message catalogue: nested keys to strings. Plural keys end in _one/_other (and _many where a language has it).
export interface Catalogue {
  [key: string]: string | Catalogue;
}
