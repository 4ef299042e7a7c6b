# Documenti Dermis, italiano.

## Shared
letterhead-phone = Tel. { $phone }
patient = Paziente
patient-number = N. paziente
printed-on = Stampato { $date }
date-at-time = { $date } alle { $time }
weekday-date = { $weekday } { $date }
sessions-count = { $count ->
    [one] { $count } seduta
   *[other] { $count } sedute
}
every-weeks = { $count ->
    [one] ogni settimana
   *[other] ogni { $count } settimane
}
course-value = { $sessions }, { $every }

## Aftercare sheet
aftercare-title = Cure dopo il trattamento
treatment-date = Data del trattamento
pih-heading = Attenzione in più per il suo tipo di pelle
pih-body = Dopo il trattamento sulla pelle possono comparire macchie scure (iperpigmentazione post-infiammatoria). Eviti il sole, usi ogni giorno una protezione solare e ci chiami se alcune zone della pelle diventano più scure.
next-appointment = Il suo prossimo appuntamento
next-not-booked = Non ancora prenotato. Ci chiami per prenotare la prossima seduta.
not-booked-yet = non ancora prenotato
call-us = Domande o dubbi? Ci chiami:
aftercare-footer = { $clinic } · Istruzioni post-trattamento · { $number }
aftercare-doc-title = Istruzioni post-trattamento { $number }
aftercare-batch-title = Istruzioni post-trattamento ({ $count })

## Schedule card
schedule-title = Il calendario del suo trattamento
course = Trattamento
column-visit = Visita
column-date = Data
column-time = Ora
session-n = Seduta { $n }
time-to-confirm = orario da confermare
maintenance-n = Mantenimento { $n }
we-will-call = la chiameremo per fissare l’orario
your-appointments = I suoi appuntamenti
no-dates = Nessuna data ancora prenotata. Ci chiami per pianificare le sedute.
more-dates = { $count ->
    [one] … e 1 altra data: ci chiami per l’elenco completo.
   *[other] … e altre { $count } date: ci chiami per l’elenco completo.
}
call-to-move = Per spostare un appuntamento, chiami { $clinic } al numero { $phone }
schedule-footer = { $clinic } · Calendario · { $number }
schedule-doc-title = Calendario del trattamento { $number }

## Progress summary
progress-title = Riepilogo dei progressi del trattamento
plan = Piano
plan-value = { $course } ({ $status })
status-active = in corso
status-paused = in pausa
status-completed = completato
status-cancelled = annullato
next-maintenance = Prossimo mantenimento
not-scheduled = Non ancora programmato
scar-score = Punteggio delle cicatrici (Goodman e Baron)
photos-of = Foto: { $area }
photo-first = Prima · { $date }
photo-latest = Ultima · { $date }
column-number = N.
column-zones = Zone
column-depth = Profondità
column-notes = Note
sessions-heading = Sedute
sessions-continued = Sedute (continua)
no-sessions = Nessuna seduta ancora registrata.
no-scores = Nessun punteggio ancora registrato.
progress-footer = { $clinic } · Riepilogo dei progressi · { $number } · Generato il { $date }
page-of = Pagina { $page } di { $pages }
progress-running-head = Riepilogo dei progressi · { $number } · { $name }
against-baseline = Rispetto al valore iniziale
headline-no-scores = Ancora nessun punteggio
headline-baseline = Valore iniziale registrato
headline-no-change = Nessun cambiamento netto
headline-improved = Miglioramento del { $percent }%
headline-worse = { $points ->
    [one] Punteggio aumentato di 1 punto
   *[other] Punteggio aumentato di { $points } punti
}
baseline-on = Valore iniziale { $score } il { $date }.
baseline-and-latest = Iniziale { $baseline } ({ $baseline-date }), ultimo { $latest } ({ $latest-date }).
note-no-change = Una variazione di 4 punti o meno rientra nella variabilità tra valutatori.
note-band = Area ombreggiata: entro 4 punti dal valore iniziale (nessun cambiamento netto).
progress-doc-title = Riepilogo dei progressi { $number }

## Treatment zones (session table)
zone-forehead = Fronte
zone-nose = Naso
zone-around-eyes = Contorno occhi
zone-cheekbones = Zigomi
zone-cheeks-chin = Guance e mento
zone-upper-lip = Labbro superiore
zone-scarred-areas = Aree cicatriziali

## Photo areas and angles (progress summary); needle depths
photo-area-angle = { $area }, { $angle }
depth-mm = { $value } mm
area-forehead = Fronte
area-temples = Tempie
area-nose = Naso
area-around-eyes = Contorno occhi
area-cheekbones = Zigomi
area-cheeks = Guance
area-chin = Mento
area-upper-lip = Labbro superiore
area-jawline = Linea mandibolare
area-neck = Collo
area-chest = Décolleté
area-back = Schiena
angle-front = frontale
angle-left = profilo sinistro
angle-right = profilo destro
angle-left-oblique = tre quarti sinistro
angle-right-oblique = tre quarti destro

## Recall letter
recall-title = È il momento del suo trattamento di mantenimento
recall-greeting = Gentile { $name },
recall-body = Il suo ciclo di trattamento è concluso. Per mantenere i risultati, la prossima seduta di mantenimento è prevista per { $date }.
recall-call = Chiami { $clinic } al numero { $phone } per prenotare l’orario che preferisce.
recall-call-no-phone = Chiami { $clinic } per prenotare l’orario che preferisce.
recall-already-booked = Se ha già prenotato, non tenga conto di questa lettera.
recall-signoff = Cordiali saluti,
recall-footer = { $clinic } · Promemoria di mantenimento · { $number }
recall-doc-title = Promemoria di mantenimento { $number }
