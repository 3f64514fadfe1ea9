"""Evidence at a glance, without Qt or a network: passage comparison, figures against sources,
and UN resolutions and treaty articles recognised from tables shipped in resources/evidence/."""
