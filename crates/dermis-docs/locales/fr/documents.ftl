# Documents Dermis, français.

## Shared
letterhead-phone = Tél. { $phone }
patient = Patient(e)
patient-number = N° de patient
printed-on = Imprimé le { $date }
date-at-time = { $date } à { $time }
weekday-date = { $weekday } { $date }
sessions-count = { $count ->
    [one] { $count } séance
   *[other] { $count } séances
}
every-weeks = { $count ->
    [one] toutes les semaines
   *[other] toutes les { $count } semaines
}
course-value = { $sessions }, { $every }

## Aftercare sheet
aftercare-title = Soins après votre traitement
treatment-date = Date du traitement
pih-heading = Précautions pour votre type de peau
pih-body = Votre peau peut développer des taches brunes après le traitement (hyperpigmentation post-inflammatoire). Évitez le soleil, appliquez une protection solaire chaque jour et appelez-nous si des zones de peau foncent.
next-appointment = Votre prochain rendez-vous
next-not-booked = Pas encore fixé. Appelez-nous pour réserver votre prochaine séance.
not-booked-yet = pas encore fixé
call-us = Une question, une inquiétude ? Appelez-nous :
aftercare-footer = { $clinic } · Fiche de soins · { $number }
aftercare-doc-title = Fiche de soins { $number }
aftercare-batch-title = Fiches de soins ({ $count })

## Schedule card
schedule-title = Le calendrier de votre traitement
course = Traitement
column-visit = Visite
column-date = Date
column-time = Heure
session-n = Séance { $n }
time-to-confirm = heure à confirmer
maintenance-n = Entretien { $n }
we-will-call = nous vous appellerons pour fixer l’heure
your-appointments = Vos rendez-vous
no-dates = Aucune date réservée pour l’instant. Appelez-nous pour planifier vos séances.
more-dates = { $count ->
    [one] … et 1 autre date : appelez-nous pour la liste complète.
   *[other] … et { $count } autres dates : appelez-nous pour la liste complète.
}
call-to-move = Pour déplacer un rendez-vous, appelez { $clinic } au { $phone }
schedule-footer = { $clinic } · Calendrier · { $number }
schedule-doc-title = Calendrier de traitement { $number }

## Progress summary
progress-title = Bilan de l’évolution du traitement
plan = Plan
plan-value = { $course } ({ $status })
status-active = en cours
status-paused = en pause
status-completed = terminé
status-cancelled = annulé
next-maintenance = Prochain entretien
not-scheduled = Pas encore prévu
scar-score = Score des cicatrices (Goodman et Baron)
photos-of = Photos : { $area }
photo-first = Première · { $date }
photo-latest = Dernière · { $date }
column-number = N°
column-zones = Zones
column-depth = Profondeur
column-notes = Remarques
sessions-heading = Séances
sessions-continued = Séances (suite)
no-sessions = Aucune séance enregistrée pour l’instant.
no-scores = Aucun score enregistré pour l’instant.
progress-footer = { $clinic } · Bilan d’évolution · { $number } · Établi le { $date }
page-of = Page { $page } sur { $pages }
progress-running-head = Bilan d’évolution · { $number } · { $name }
against-baseline = Par rapport au départ
headline-no-scores = Pas encore de score
headline-baseline = Score de départ enregistré
headline-no-change = Pas de changement net
headline-improved = Amélioration de { $percent } %
headline-worse = { $points ->
    [one] Score en hausse de 1 point
   *[other] Score en hausse de { $points } points
}
baseline-on = Score de départ { $score } le { $date }.
baseline-and-latest = Départ { $baseline } ({ $baseline-date }), dernier { $latest } ({ $latest-date }).
note-no-change = Un écart de 4 points ou moins reste dans la variation entre évaluateurs.
note-band = Zone ombrée : à 4 points ou moins du score de départ (pas de changement net).
progress-doc-title = Bilan d’évolution { $number }

## Treatment zones (session table)
zone-forehead = Front
zone-nose = Nez
zone-around-eyes = Contour des yeux
zone-cheekbones = Pommettes
zone-cheeks-chin = Joues et menton
zone-upper-lip = Lèvre supérieure
zone-scarred-areas = Zones cicatricielles

## Photo areas and angles (progress summary); needle depths
photo-area-angle = { $area }, { $angle }
depth-mm = { $value } mm
area-forehead = Front
area-temples = Tempes
area-nose = Nez
area-around-eyes = Contour des yeux
area-cheekbones = Pommettes
area-cheeks = Joues
area-chin = Menton
area-upper-lip = Lèvre supérieure
area-jawline = Ligne de la mâchoire
area-neck = Cou
area-chest = Décolleté
area-back = Dos
angle-front = de face
angle-left = profil gauche
angle-right = profil droit
angle-left-oblique = trois-quarts gauche
angle-right-oblique = trois-quarts droit

## Recall letter
recall-title = Il est temps de faire votre séance d’entretien
recall-greeting = Bonjour { $name },
recall-body = Votre cure de traitement est terminée. Pour conserver vos résultats, votre prochaine séance d’entretien est prévue le { $date }.
recall-call = Appelez { $clinic } au { $phone } pour prendre rendez-vous à l’heure qui vous convient.
recall-call-no-phone = Appelez { $clinic } pour prendre rendez-vous à l’heure qui vous convient.
recall-already-booked = Si vous avez déjà pris rendez-vous, merci de ne pas tenir compte de cette lettre.
recall-signoff = Bien cordialement,
recall-footer = { $clinic } · Rappel d’entretien · { $number }
recall-doc-title = Rappel d’entretien { $number }
