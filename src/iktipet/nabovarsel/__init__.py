"""Nabovarsel (notice to neighbours, plan- og bygningsloven § 21-3): the neighbours' part.

On submit of a nabovarsel each owner of a neighbouring property gets a notice; they answer
with consent or remarks before the deadline; the applicant sees the replies; after the
deadline the case gets the receipt list and the remarks as one PDF/A summary.
"""
