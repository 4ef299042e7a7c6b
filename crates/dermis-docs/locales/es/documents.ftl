# Documentos de Dermis, español.

## Shared
letterhead-phone = Tel. { $phone }
patient = Paciente
patient-number = N.º de paciente
printed-on = Impreso el { $date }
date-at-time = { $date } a las { $time }
weekday-date = { $weekday }, { $date }
sessions-count = { $count ->
    [one] { $count } sesión
   *[other] { $count } sesiones
}
every-weeks = { $count ->
    [one] cada semana
   *[other] cada { $count } semanas
}
course-value = { $sessions }, { $every }

## Aftercare sheet
aftercare-title = Cuidados después de su tratamiento
treatment-date = Fecha del tratamiento
pih-heading = Cuidado adicional para su tipo de piel
pih-body = Su piel puede desarrollar manchas oscuras después del tratamiento (hiperpigmentación posinflamatoria). Evite el sol, use protector solar todos los días y llámenos si alguna zona de la piel se oscurece.
next-appointment = Su próxima cita
next-not-booked = Aún sin reservar. Llámenos para reservar su próxima sesión.
not-booked-yet = aún sin reservar
call-us = ¿Dudas o preocupaciones? Llámenos:
aftercare-footer = { $clinic } · Hoja de cuidados · { $number }
aftercare-doc-title = Hoja de cuidados { $number }
aftercare-batch-title = Hojas de cuidados ({ $count })

## Schedule card
schedule-title = Calendario de su tratamiento
course = Tratamiento
column-visit = Visita
column-date = Fecha
column-time = Hora
session-n = Sesión { $n }
time-to-confirm = hora por confirmar
maintenance-n = Mantenimiento { $n }
we-will-call = le llamaremos para reservar
your-appointments = Sus citas
no-dates = Aún no hay fechas reservadas. Llámenos para planificar sus sesiones.
more-dates = { $count ->
    [one] … y 1 fecha más: llámenos para obtener la lista completa.
   *[other] … y { $count } fechas más: llámenos para obtener la lista completa.
}
call-to-move = Para cambiar una cita, llame a { $clinic } al { $phone }
schedule-footer = { $clinic } · Calendario · { $number }
schedule-doc-title = Calendario de tratamiento { $number }

## Progress summary
progress-title = Resumen de la evolución del tratamiento
plan = Plan
plan-value = { $course } ({ $status })
status-active = en curso
status-paused = en pausa
status-completed = finalizado
status-cancelled = cancelado
next-maintenance = Próximo mantenimiento
not-scheduled = Aún no programado
scar-score = Puntuación de cicatrices (Goodman y Baron)
photos-of = Fotos: { $area }
photo-first = Primera · { $date }
photo-latest = Última · { $date }
column-number = N.º
column-zones = Zonas
column-depth = Profundidad
column-notes = Notas
sessions-heading = Sesiones
sessions-continued = Sesiones (continuación)
no-sessions = Aún no hay sesiones registradas.
no-scores = Aún no hay puntuaciones registradas.
progress-footer = { $clinic } · Resumen de evolución · { $number } · Generado el { $date }
page-of = Página { $page } de { $pages }
progress-running-head = Resumen de evolución · { $number } · { $name }
against-baseline = Respecto al inicio
headline-no-scores = Aún sin puntuaciones
headline-baseline = Puntuación inicial registrada
headline-no-change = Sin cambio claro
headline-improved = Mejora del { $percent } %
headline-worse = { $points ->
    [one] Puntuación 1 punto más alta
   *[other] Puntuación { $points } puntos más alta
}
baseline-on = Puntuación inicial { $score } el { $date }.
baseline-and-latest = Inicial { $baseline } ({ $baseline-date }), última { $latest } ({ $latest-date }).
note-no-change = Un cambio de 4 puntos o menos está dentro de la variación entre evaluadores.
note-band = Zona sombreada: a 4 puntos o menos de la puntuación inicial (sin cambio claro).
progress-doc-title = Resumen de evolución { $number }

## Treatment zones (session table)
zone-forehead = Frente
zone-nose = Nariz
zone-around-eyes = Contorno de ojos
zone-cheekbones = Pómulos
zone-cheeks-chin = Mejillas y mentón
zone-upper-lip = Labio superior
zone-scarred-areas = Zonas con cicatrices

## Photo areas and angles (progress summary); needle depths
photo-area-angle = { $area }, { $angle }
depth-mm = { $value } mm
area-forehead = Frente
area-temples = Sienes
area-nose = Nariz
area-around-eyes = Contorno de ojos
area-cheekbones = Pómulos
area-cheeks = Mejillas
area-chin = Mentón
area-upper-lip = Labio superior
area-jawline = Línea mandibular
area-neck = Cuello
area-chest = Pecho
area-back = Espalda
angle-front = de frente
angle-left = perfil izquierdo
angle-right = perfil derecho
angle-left-oblique = tres cuartos izquierdo
angle-right-oblique = tres cuartos derecho

## Recall letter
recall-title = Es hora de su sesión de mantenimiento
recall-greeting = Estimado/a { $name }:
recall-body = Ha completado su tratamiento. Para mantener los resultados, su próxima sesión de mantenimiento está prevista para el { $date }.
recall-call = Llame a { $clinic } al { $phone } para reservar la hora que mejor le convenga.
recall-call-no-phone = Llame a { $clinic } para reservar la hora que mejor le convenga.
recall-already-booked = Si ya tiene una cita reservada, ignore esta carta.
recall-signoff = Atentamente,
recall-footer = { $clinic } · Recordatorio de mantenimiento · { $number }
recall-doc-title = Recordatorio de mantenimiento { $number }
