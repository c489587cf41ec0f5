"""Reference service ("Tanya pustakawan"): patrons and visitors ask the librarians, who assign,
answer and close the questions. Moved out of programs, which keeps only programs and events."""
