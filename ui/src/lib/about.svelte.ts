// Whether the About box is open: set by the header's About button and by the
// app menu (Help → About Dermis), shown by App.svelte above every screen.
export const about = $state({ open: false });
