def export(quiz_id, quiz, warnings):
    raise NotImplementedError
