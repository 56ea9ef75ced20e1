"""The demo of ``make run`` (:mod:`.seed`) and the files a vendor makes (:mod:`.files`),
which the demo and the tests send through the same upload path as a real vendor."""
