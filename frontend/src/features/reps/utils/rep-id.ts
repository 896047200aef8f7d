/** An id the API could know: digits, not zero (anything else cannot name a rep). */
export const isRepId = (id: string | undefined): id is string =>
  id !== undefined && /^\d{1,18}$/.test(id) && !/^0+$/.test(id);
