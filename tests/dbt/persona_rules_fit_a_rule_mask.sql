{#- int_persona_assignments gives each persona rule one bit of a 128-bit mask (bit 0 unused). -#}
select count(*) as rules
from {{ ref('persona_rules') }}
having count(*) > 127
