# Documentos Dermis, português.

## Shared
letterhead-phone = Tel. { $phone }
patient = Paciente
patient-number = N.º do paciente
printed-on = Impresso em { $date }
date-at-time = { $date } às { $time }
weekday-date = { $weekday }, { $date }
sessions-count = { $count ->
    [one] { $count } sessão
   *[other] { $count } sessões
}
every-weeks = { $count ->
    [one] toda semana
   *[other] a cada { $count } semanas
}
course-value = { $sessions }, { $every }

## Aftercare sheet
aftercare-title = Cuidados após o seu tratamento
treatment-date = Data do tratamento
pih-heading = Cuidado extra para o seu tipo de pele
pih-body = A sua pele pode desenvolver manchas escuras após o tratamento (hiperpigmentação pós-inflamatória). Evite o sol, use protetor solar todos os dias e ligue para nós se alguma área da pele escurecer.
next-appointment = A sua próxima consulta
next-not-booked = Ainda não marcada. Ligue para nós para marcar a sua próxima sessão.
not-booked-yet = ainda não marcada
call-us = Dúvidas ou preocupações? Ligue para nós:
aftercare-footer = { $clinic } · Folha de cuidados · { $number }
aftercare-doc-title = Folha de cuidados { $number }
aftercare-batch-title = Folhas de cuidados ({ $count })

## Schedule card
schedule-title = O calendário do seu tratamento
course = Tratamento
column-visit = Visita
column-date = Data
column-time = Hora
session-n = Sessão { $n }
time-to-confirm = horário a confirmar
maintenance-n = Manutenção { $n }
we-will-call = ligaremos para marcar
your-appointments = As suas consultas
no-dates = Ainda não há datas marcadas. Ligue para nós para planejar as suas sessões.
more-dates = { $count ->
    [one] … e mais 1 data: ligue para nós para obter a lista completa.
   *[other] … e mais { $count } datas: ligue para nós para obter a lista completa.
}
call-to-move = Para mudar uma consulta, ligue para { $clinic } pelo número { $phone }
schedule-footer = { $clinic } · Calendário · { $number }
schedule-doc-title = Calendário do tratamento { $number }

## Progress summary
progress-title = Resumo da evolução do tratamento
plan = Plano
plan-value = { $course } ({ $status })
status-active = em andamento
status-paused = em pausa
status-completed = concluído
status-cancelled = cancelado
next-maintenance = Próxima manutenção
not-scheduled = Ainda não agendada
scar-score = Pontuação das cicatrizes (Goodman e Baron)
photos-of = Fotos: { $area }
photo-first = Primeira · { $date }
photo-latest = Mais recente · { $date }
column-number = N.º
column-zones = Zonas
column-depth = Profundidade
column-notes = Notas
sessions-heading = Sessões
sessions-continued = Sessões (continuação)
no-sessions = Ainda não há sessões registradas.
no-scores = Ainda não há pontuações registradas.
progress-footer = { $clinic } · Resumo da evolução · { $number } · Gerado em { $date }
page-of = Página { $page } de { $pages }
progress-running-head = Resumo da evolução · { $number } · { $name }
against-baseline = Em relação ao início
headline-no-scores = Ainda sem pontuações
headline-baseline = Pontuação inicial registrada
headline-no-change = Sem mudança clara
headline-improved = Melhora de { $percent }%
headline-worse = { $points ->
    [one] Pontuação 1 ponto mais alta
   *[other] Pontuação { $points } pontos mais alta
}
baseline-on = Pontuação inicial { $score } em { $date }.
baseline-and-latest = Inicial { $baseline } ({ $baseline-date }), mais recente { $latest } ({ $latest-date }).
note-no-change = Uma mudança de 4 pontos ou menos está dentro da variação entre avaliadores.
note-band = Área sombreada: a 4 pontos ou menos da pontuação inicial (sem mudança clara).
progress-doc-title = Resumo da evolução { $number }

## Treatment zones (session table)
zone-forehead = Testa
zone-nose = Nariz
zone-around-eyes = Área dos olhos
zone-cheekbones = Maçãs do rosto
zone-cheeks-chin = Bochechas e queixo
zone-upper-lip = Lábio superior
zone-scarred-areas = Áreas com cicatrizes

## Photo areas and angles (progress summary); needle depths
photo-area-angle = { $area }, { $angle }
depth-mm = { $value } mm
area-forehead = Testa
area-temples = Têmporas
area-nose = Nariz
area-around-eyes = Região dos olhos
area-cheekbones = Maçãs do rosto
area-cheeks = Bochechas
area-chin = Queixo
area-upper-lip = Lábio superior
area-jawline = Linha da mandíbula
area-neck = Pescoço
area-chest = Colo
area-back = Costas
angle-front = frontal
angle-left = perfil esquerdo
angle-right = perfil direito
angle-left-oblique = três quartos esquerdo
angle-right-oblique = três quartos direito

## Recall letter
recall-title = Está na altura do seu tratamento de manutenção
recall-greeting = Caro(a) { $name },
recall-body = O seu tratamento está concluído. Para manter os resultados, a sua próxima sessão de manutenção está prevista para { $date }.
recall-call = Ligue para { $clinic } através do número { $phone } para marcar o horário que lhe for mais conveniente.
recall-call-no-phone = Ligue para { $clinic } para marcar o horário que lhe for mais conveniente.
recall-already-booked = Se já tiver uma marcação, ignore esta carta.
recall-signoff = Com os melhores cumprimentos,
recall-footer = { $clinic } · Lembrete de manutenção · { $number }
recall-doc-title = Lembrete de manutenção { $number }
