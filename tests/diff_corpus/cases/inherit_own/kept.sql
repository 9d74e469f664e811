SELECT a1, e, touched FROM item ORDER BY a1
