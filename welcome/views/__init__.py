"""The welcome pages' views: the candidate's (``candidate``) and the staff's (``staff``)."""
