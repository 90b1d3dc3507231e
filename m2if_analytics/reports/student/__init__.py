"""The student profile (``notebooks/student_profile.ipynb``): the page a tutor opens before a
call; names only with a re-identification mapping."""
