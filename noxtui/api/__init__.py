"""The HTTP transport both HTTP providers compose (``transport``), and what an answer means before a
vendor reads its body (``responses``). Nothing is imported here: httpx loads on first use."""
