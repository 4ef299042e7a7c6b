// The app's offer to encrypt a plaintext clinic (issue 21): whether it shows,
// and whether it holds the screen (from "Encrypt now" until the recovery key
// is confirmed and the plaintext copy decided, the admin cannot wander off
// and lose the key, which is shown only once).
export const encryptionOffer = $state({ show: false, sticky: false });
